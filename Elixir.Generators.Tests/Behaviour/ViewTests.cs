using Elixir.Layout;
using Elixir.Numerics;
using Elixir.Samples.Layouts;

namespace Elixir.Generators.Tests.Behaviour;

public sealed class ViewTests
{
    [Fact]
    public void MixedPrecisionViews_WriteExactlyAtHandComputedOffsets()
    {
        var buffer = new PinnedBuffer(42);
        buffer.Bytes.Fill(0xAB);
        var binding = new LayoutBinding(MixedPrecisionLayout.Table);
        binding.BindContiguous(buffer.Address, BindingLocation.Host);
        MixedPrecisionLayout layout = MixedPrecisionLayout.Bind(binding);

        Assert.Equal(3, layout.Scales.Length);
        Assert.Equal(6, layout.Weight.Length);
        Assert.Equal(5, layout.Bias.Length);
        for (int i = 0; i < 3; i++)
        {
            layout.Scales[i] = (Half)(i + 1);
        }

        for (int i = 0; i < 6; i++)
        {
            layout.Weight[i] = 10 + i;
        }

        for (int i = 0; i < 5; i++)
        {
            layout.Bias[i] = (BFloat16)(100f + i);
        }

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal((Half)(i + 1), buffer.Read<Half>(0, i));
        }

        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(10f + i, buffer.Read<float>(8, i));
        }

        for (int i = 0; i < 5; i++)
        {
            Assert.Equal((BFloat16)(100f + i), buffer.Read<BFloat16>(32, i));
        }

        // Bytes 6..8 are padding before the float tensor and were never written.
        Assert.Equal([0xAB, 0xAB], buffer.Bytes[6..8].ToArray());
    }

    [Fact]
    public void Gpt2BlockViews_ReadWhatTheBufferHoldsAtEachOffset()
    {
        long[] offsets = [0, 32, 64, 832, 928, 1184, 1216, 1248, 1280, 2304, 2432, 3456];
        LayoutTable table = Gpt2Block.CreateTable(new LayoutDimensions(("C", 8)));
        var buffer = new PinnedBuffer(table.TotalBytes);
        Span<float> all = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(buffer.Bytes);
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = i;
        }

        var binding = new LayoutBinding(table);
        binding.BindContiguous(buffer.Address, BindingLocation.Host);
        Gpt2Block block = Gpt2Block.Bind(binding);

        Assert.Equal(offsets[0] / 4, block.Ln1Weight[0]);
        Assert.Equal(offsets[2] / 4, block.AttnQkvWeight[0]);
        Assert.Equal((offsets[3] / 4) + 23, block.AttnQkvBias[23]);
        Assert.Equal(offsets[8] / 4, block.MlpFcWeight[0]);
        Assert.Equal((offsets[11] / 4) + 7, block.MlpProjBias[7]);
        Assert.Equal(256, block.MlpProjWeight.Length);
        Assert.Same(binding, block.Binding);
    }

    [Fact]
    public void DeviceViews_AreBaseAddressPlusOffsetWithElementCount()
    {
        const nint deviceBase = 0x7000_0000;
        var binding = new LayoutBinding(Gpt2Embeddings.CreateTable(new LayoutDimensions(("V", 10), ("P", 4), ("C", 2))), BindingLocation.Device);
        binding.BindContiguous(deviceBase, BindingLocation.Device);
        Gpt2Embeddings embeddings = Gpt2Embeddings.Bind(binding);

        Assert.Equal(new DevicePointer<float>(0x7000_0000, 20), embeddings.Device.Wte);
        Assert.Equal(new DevicePointer<float>(0x7000_0000 + 80, 8), embeddings.Device.Wpe);
    }

    [Fact]
    public void HostView_OfDeviceBinding_Throws()
    {
        var binding = new LayoutBinding(Gpt2FinalNorm.CreateTable(new LayoutDimensions(("C", 4))));
        binding.BindContiguous(0x1000, BindingLocation.Device);
        Gpt2FinalNorm norm = Gpt2FinalNorm.Bind(binding);

        Assert.Throws<InvalidOperationException>(() => norm.LnFWeight.Length);
    }

    [Fact]
    public void Rebinding_MovesViewsWithoutRebinding()
    {
        var first = new PinnedBuffer(MixedPrecisionLayout.Table.TotalBytes);
        var second = new PinnedBuffer(MixedPrecisionLayout.Table.TotalBytes);
        var binding = new LayoutBinding(MixedPrecisionLayout.Table);
        MixedPrecisionLayout layout = MixedPrecisionLayout.Bind(binding);

        binding.BindContiguous(first.Address, BindingLocation.Host);
        layout.Weight[0] = 1;
        binding.BindContiguous(second.Address, BindingLocation.Host);
        layout.Weight[0] = 2;

        Assert.Equal(1f, first.Read<float>(8, 0));
        Assert.Equal(2f, second.Read<float>(8, 0));
    }

    [Fact]
    public void Bind_ToAnotherLayoutsTable_ThrowsNamingBoth()
    {
        var binding = new LayoutBinding(MixedPrecisionLayout.Table);

        var error = Assert.Throws<ArgumentException>(() => Gpt2FinalNorm.Bind(binding));

        Assert.Contains("'Gpt2FinalNorm' (2 tensors)", error.Message, StringComparison.Ordinal);
        Assert.Contains("'MixedPrecisionLayout' (3 tensors)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultInstance_Binding_ThrowsNamingLayout()
    {
        var error = Assert.Throws<InvalidOperationException>(() => default(Gpt2FinalNorm).Binding);

        Assert.Contains("Gpt2FinalNorm", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ViewAccess_AllocatesNothing()
    {
        var buffer = new PinnedBuffer(MixedPrecisionLayout.Table.TotalBytes);
        var binding = new LayoutBinding(MixedPrecisionLayout.Table);
        binding.BindContiguous(buffer.Address, BindingLocation.Host);
        MixedPrecisionLayout layout = MixedPrecisionLayout.Bind(binding);
        float sum = Touch(layout);

        long before = GC.GetAllocatedBytesForCurrentThread();
        sum += Touch(layout);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(0f, sum);
    }

    private static float Touch(MixedPrecisionLayout layout)
    {
        layout.Weight[5] = 0;
        return layout.Weight[5] + (float)layout.Scales[2] + (float)layout.Bias[4] + MixedPrecisionLayout.Bind(layout.Binding).Weight.Length - 6;
    }
}
