using Elixir.Fetching;
using Elixir.Runtime.Tests.Cuda;
using Elixir.Scheduling;

namespace Elixir.Runtime.Tests.Fetching;

/// <summary>The fetcher's stream and event calls on real CUDA streams and events, over chunk bookkeeping without data.</summary>
[Trait("Category", GpuRequirement.Category)]
public sealed class ChunkFetcherGpuTests
{
    [Fact]
    public void OverlapWalk_OnCudaStreams_MakesTheHandTracedDecisions()
    {
        GpuRequirement.Devices();
        using var gpu = new GpuSession();
        var model = LayeredModel.OneChunkPerLayer(3);
        var chunks = new FakeChunks([1, 1, 1], [false, false, false], publicBlocks: 2);
        using var fetcher = new ChunkFetcher(chunks, new PrefetchScheduler(3, model.ChunksPerStep()), gpu.Backend, overlap: true);

        model.RunIteration(fetcher, model.CreateGroups(fetcher));
        gpu.Backend.DefaultStream.Synchronize();

        // The same walk as ChunkFetcherLogicTests traces by hand.
        Assert.Equal((3L, 4L, 1L, 3L), (fetcher.PrefetchHits, fetcher.Gathers, fetcher.Evictions, fetcher.Reduces));
        Assert.Equal(2, chunks.FreePublicBlocks);
    }

    [Fact]
    public void SteadyStateIteration_OnCudaStreams_AllocatesNothing()
    {
        GpuRequirement.Devices();
        using var gpu = new GpuSession();
        var model = LayeredModel.Tied();
        var chunks = new FakeChunks([1, 3, 3, 3, 3], [true, false, false, false, false], publicBlocks: 3);
        using var fetcher = new ChunkFetcher(chunks, new PrefetchScheduler(5, model.ChunksPerStep()), gpu.Backend, overlap: true);
        var groups = model.CreateGroups(fetcher);
        model.RunIteration(fetcher, groups);

        var before = GC.GetAllocatedBytesForCurrentThread();
        model.RunIteration(fetcher, groups);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(fetcher.PrefetchHits > 0);
    }
}
