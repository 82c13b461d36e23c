using Elixir.Cuda;
using Elixir.Layout;

namespace Elixir.Runtime.Tests.Modules;

public sealed class KernelArgumentsTests
{
    [Fact]
    public void Each_argument_fills_one_slot_with_its_little_endian_bits()
    {
        var arguments = new KernelArguments();
        arguments.Add(new DevicePointer<float>(0x7f00_1234_5678UL, 10));
        arguments.Add(-2);
        arguments.Add(1.5f);
        arguments.Add(1L << 40);

        Assert.Equal(4, arguments.Count);
        Assert.Equal(0x7f00_1234_5678UL, arguments[0]);
        Assert.Equal(0xFFFF_FFFEUL, arguments[1]);   // int −2: the low 4 bytes, which is what a .u32/.s32 parameter reads
        Assert.Equal(0x3FC0_0000UL, arguments[2]);   // 1.5f = 0x3FC00000
        Assert.Equal(0x100_0000_0000UL, arguments[3]);
    }

    [Fact]
    public void A_33rd_argument_is_refused_and_the_first_32_are_kept()
    {
        var arguments = new KernelArguments();
        for (int i = 0; i < KernelArguments.Capacity; i++)
        {
            arguments.Add(i);
        }

        var error = Assert.Throws<InvalidOperationException>(() => arguments.Add(99));

        Assert.Contains("at most 32 arguments", error.Message);
        Assert.Equal(32, arguments.Count);
        Assert.Equal(31UL, arguments[31]);
    }

    [Theory]
    [InlineData(0, 256, 1)]
    [InlineData(1, 256, 1)]
    [InlineData(256, 256, 1)]
    [InlineData(257, 256, 2)]
    [InlineData(1_000_000, 128, 7813)]
    public void A_grid_covers_every_item(long count, uint block, uint expected)
    {
        Assert.Equal(new Dim3(expected, 1, 1), Dim3.Cover(count, block));
    }

    [Fact]
    public void A_size_is_one_in_unused_dimensions()
    {
        Dim3 size = 64u;

        Assert.Equal((64u, 1u, 1u), (size.X, size.Y, size.Z));
        Assert.Equal(64UL * 4 * 2, new Dim3(64, 4, 2).Volume);
    }
}
