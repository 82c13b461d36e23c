using Elixir.Chunks;
using Elixir.Collectives.Host;
using Elixir.Kernels.Host;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Memory.Host;
using Elixir.Numerics;

namespace Elixir.Tests.Chunks;

/// <summary>A binding knows where a chunk put its tensors: views of the wrong address space throw instead of dereferencing.</summary>
public sealed class ChunkViewLocationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void A_host_view_of_a_tensor_in_device_memory_throws_naming_layout_tensor_and_location(int worldSize)
    {
        using var backend = new DeviceMemoryStandIn();
        LocalCluster.Run(worldSize, comm =>
        {
            using var pool = new RCache(backend, "p", 32, DType.Float32, 1);
            using var chunk = new Chunk(pool, backend, comm, new HostKernels(), 32, DType.Float32, MemoryLocation.Device);
            var layout = new LayoutInstance<BlockF32>();
            chunk.Append(layout.Binding, layout.Counter, 0);
            chunk.Append(layout.Binding, layout.Counter, 1);

            var e = Assert.Throws<InvalidOperationException>(() => layout.Binding.HostSpan<float>(1));

            Assert.StartsWith("Tensor 'T1' of layout 'BlockF32' lives in Device memory (address 0x", e.Message);
            Assert.Contains("a host view would dereference a device address", e.Message);
            Assert.Equal(BindingLocation.Device, layout.Binding.LocationOf(1));
            Assert.Equal(new DevicePointer<float>((ulong)layout.Binding.AddressOf(1), 7), layout.Binding.DevicePointer<float>(1));
        });
        Assert.Equal(0, backend.LiveBuffers);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void A_device_pointer_to_a_tensor_in_host_memory_throws_naming_layout_tensor_and_location(int worldSize)
    {
        using var backend = new HostMemoryBackend();
        LocalCluster.Run(worldSize, comm =>
        {
            using var pool = new RCache(backend, "p", 32, DType.Float32, 1);
            using var chunk = new Chunk(pool, backend, comm, new HostKernels(), 32, DType.Float32, MemoryLocation.Device);
            var layout = new LayoutInstance<BlockF32>(BindingLocation.Device);
            chunk.Append(layout.Binding, layout.Counter, 0);

            var e = Assert.Throws<InvalidOperationException>(() => layout.Binding.DevicePointer<float>(0));

            Assert.StartsWith("Tensor 'T0' of layout 'BlockF32' lives in Host memory (address 0x", e.Message);
            Assert.Equal(5, layout.Binding.HostSpan<float>(0).Length);
        });
    }

    [Fact]
    public void A_host_span_over_a_device_buffer_throws_naming_the_range()
    {
        using var backend = new DeviceMemoryStandIn();
        using NativeBuffer buffer = backend.Allocate(64, MemoryLocation.Device);

        var e = Assert.Throws<InvalidOperationException>(() => buffer.Slice(16, 32).AsSpan<float>());

        Assert.StartsWith("Bytes [16, 48) of a 64-byte Device buffer are not host memory", e.Message);
    }
}
