using Elixir.Memory;
using Elixir.Memory.Host;

namespace Elixir.Tests.Memory;

public sealed class MemoryCountersTests
{
    [Fact]
    public void LiveAndPeak_ArePerLocationAndCategory_AndAResetStartsANewWindow()
    {
        var backend = new HostMemoryBackend();
        var counters = backend.Counters;
        var shards = backend.Allocate(100, MemoryLocation.Device, MemoryCategory.ParameterShards);
        var io = backend.Allocate(40, MemoryLocation.Device, MemoryCategory.TransientIO);
        var offloaded = backend.Allocate(8, MemoryLocation.Host, MemoryCategory.OptimizerState);
        io.Dispose();

        // Hand-computed: the device peaked at 100 + 40 while both were live.
        Assert.Equal(100, counters.Live(MemoryLocation.Device));
        Assert.Equal(140, counters.Peak(MemoryLocation.Device));
        Assert.Equal(0, counters.Live(MemoryLocation.Device, MemoryCategory.TransientIO));
        Assert.Equal(40, counters.Peak(MemoryLocation.Device, MemoryCategory.TransientIO));
        Assert.Equal(8, counters.Live(MemoryLocation.Host, MemoryCategory.OptimizerState));
        Assert.Equal(0, counters.Live(MemoryLocation.Host, MemoryCategory.ParameterShards));
        Assert.Equal(100, backend.BytesAllocated(MemoryLocation.Device));

        counters.ResetPeaks();
        Assert.Equal(100, counters.Peak(MemoryLocation.Device));
        Assert.Equal(0, counters.Peak(MemoryLocation.Device, MemoryCategory.TransientIO));
        shards.Dispose();
        offloaded.Dispose();
        Assert.Equal(100, counters.Peak(MemoryLocation.Device));
        Assert.Equal(0, counters.Live(MemoryLocation.Device));
    }

    [Fact]
    public void AnAllocationPastTheBudget_FailsAtOnce_NamingCategoryRequestAndBudget_AndCountsNothing()
    {
        var backend = new HostMemoryBackend();
        backend.Counters.SetBudget(MemoryLocation.Device, 1000);
        using var rcache = backend.Allocate(900, MemoryLocation.Device, MemoryCategory.RCache);
        var error = Assert.Throws<MemoryBudgetExceededException>(() => backend.Allocate(101, MemoryLocation.Device, MemoryCategory.Gradients));
        Assert.Equal(MemoryCategory.Gradients, error.Category);
        Assert.Equal(101, error.RequestedBytes);
        Assert.Equal(1000, error.BudgetBytes);
        Assert.Contains("101 bytes of gradients", error.Message);
        Assert.Contains("budget of 1000 bytes", error.Message);
        Assert.Contains("rCache 900", error.Message);
        Assert.Equal(900, backend.Counters.Live(MemoryLocation.Device));
        Assert.Equal(900, backend.Counters.Peak(MemoryLocation.Device));
        Assert.Equal(1, backend.LiveBuffers);

        // Exactly up to the budget fits; the host location has no budget.
        using var rest = backend.Allocate(100, MemoryLocation.Device, MemoryCategory.Gradients);
        using var host = backend.Allocate(1 << 20, MemoryLocation.Host);
        Assert.Equal(1000, backend.Counters.Live(MemoryLocation.Device));
    }

    [Fact]
    public void ABudgetBelowWhatIsLive_IsRefused_AndNullRemovesIt()
    {
        var backend = new HostMemoryBackend();
        using var a = backend.Allocate(500, MemoryLocation.Host, MemoryCategory.Staging);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => backend.Counters.SetBudget(MemoryLocation.Host, 499));
        Assert.Contains("500 bytes live", error.Message);
        Assert.Null(backend.Counters.Budget(MemoryLocation.Host));
        backend.Counters.SetBudget(MemoryLocation.Host, 600);
        Assert.Equal(600, backend.Counters.Budget(MemoryLocation.Host));
        backend.Counters.SetBudget(MemoryLocation.Host, null);
        using var b = backend.Allocate(1000, MemoryLocation.Host);
        Assert.Equal(1000, backend.Counters.Live(MemoryLocation.Host, MemoryCategory.Other));
    }

    [Fact]
    public void ConcurrentAllocations_KeepExactCounts()
    {
        var backend = new HostMemoryBackend();
        Parallel.For(0, 8, _ =>
        {
            for (int i = 0; i < 200; i++)
            {
                using var buffer = backend.Allocate(64, MemoryLocation.Device, MemoryCategory.Communication);
            }
        });

        Assert.Equal(0, backend.Counters.Live(MemoryLocation.Device));
        Assert.Equal(0, backend.Counters.Live(MemoryLocation.Device, MemoryCategory.Communication));
        Assert.InRange(backend.Counters.Peak(MemoryLocation.Device), 64, 8 * 64);
    }
}
