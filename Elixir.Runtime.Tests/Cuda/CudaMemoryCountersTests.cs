using Elixir.Memory;

namespace Elixir.Runtime.Tests.Cuda;

[Trait("Category", GpuRequirement.Category)]
public sealed class CudaMemoryCountersTests
{
    [Fact]
    public void DeviceAndPinnedBuffers_AreCountedPerCategory_AndABudgetRefusesBeforeTheDriverIsAsked()
    {
        GpuRequirement.Devices();
        using var gpu = new GpuSession();
        var counters = gpu.Backend.Counters;
        long device = counters.Live(MemoryLocation.Device);
        long host = counters.Live(MemoryLocation.Host);
        long rcacheBefore = counters.Live(MemoryLocation.Device, MemoryCategory.RCache);
        using (gpu.Backend.Allocate(4096, MemoryLocation.Device, MemoryCategory.RCache))
        using (gpu.Backend.Allocate(512, MemoryLocation.Host, MemoryCategory.OptimizerState))
        {
            Assert.Equal(device + 4096, counters.Live(MemoryLocation.Device));
            Assert.Equal(rcacheBefore + 4096, counters.Live(MemoryLocation.Device, MemoryCategory.RCache));
            Assert.Equal(host + 512, counters.Live(MemoryLocation.Host));
            Assert.True(counters.Peak(MemoryLocation.Device) >= device + 4096);
        }

        Assert.Equal(device, counters.Live(MemoryLocation.Device));
        counters.SetBudget(MemoryLocation.Device, device + 1024);
        try
        {
            int buffers = gpu.Backend.LiveBuffers;
            var error = Assert.Throws<MemoryBudgetExceededException>(() => gpu.Backend.Allocate(2048, MemoryLocation.Device, MemoryCategory.Staging));
            Assert.Equal(MemoryCategory.Staging, error.Category);
            Assert.Equal(buffers, gpu.Backend.LiveBuffers);
            Assert.Equal(device, counters.Live(MemoryLocation.Device));
        }
        finally
        {
            counters.SetBudget(MemoryLocation.Device, null);
        }
    }
}
