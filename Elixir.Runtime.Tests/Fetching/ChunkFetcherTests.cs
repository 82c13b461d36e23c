using Elixir.Collectives.Host;
using Elixir.Fetching;
using Elixir.Memory.Host;
using Elixir.Planning;
using Elixir.Scheduling;

namespace Elixir.Runtime.Tests.Fetching;

/// <summary>The fetcher driving real chunks on in-process ranks.</summary>
public sealed class ChunkFetcherTests
{
    private static readonly LocalClusterOptions Options = new() { Checked = true, CollectiveTimeout = TimeSpan.FromSeconds(20) };

    // Six narrow layers (12 + 8 elements) in 32-element chunks: chunk 1 = L0, L1.Weight; chunk 2 = L1.Bias, L2;
    // chunk 3 = L3, L4.Weight; chunk 4 = L4.Bias, L5. Chunk 0 is the fused embedding tied between L0 and L5.

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(4, 2)]
    [InlineData(1, 3)]
    [InlineData(2, 3)]
    [InlineData(4, 3)]
    public void Gathers_EqualTheMoveSimulatorsCount_AndGradientsAreReduced(int worldSize, int blocks)
    {
        var backend = new HostMemoryBackend();
        LocalCluster.Run(worldSize, comm =>
        {
            using var rank = new ModelRank<NarrowLayer>(backend, comm, 6, tied: true, blocks);
            var profile = rank.Model.ChunksPerStep();
            var fused = rank.FusedFlags();
            var publicSteps = profile.Select(s => s.Where(c => !fused[c]).ToArray()).ToArray();
            using var fetcher = new ChunkFetcher(
                rank.Group, new PrefetchScheduler(fused.Length, profile), backend, overlap: false);

            rank.Model.RunIteration(fetcher, rank.Model.CreateGroups(fetcher), rank.AssertLayerReadsItsParameters, rank.WriteGradient);

            // The planner's move-count simulator, and a brute-force count, over the public chunks of the same steps;
            // the fused embedding adds one gather, never evicted.
            Assert.Equal(MoveSimulator.CountGathers(publicSteps, blocks) + 1, fetcher.Gathers);
            Assert.Equal(FurthestNextUseReference.Loads(publicSteps, blocks) + 1, fetcher.Gathers);
            Assert.Equal(5, fetcher.Reduces);
            Assert.Equal(blocks, rank.Group.Pool.FreePublicCount);
            rank.AssertShardsHoldAveragedGradients();
        }, Options);
        Assert.Equal(0, backend.LiveBuffers);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Overlap_HitsEveryPrefetch_AndKeepsTheResults(int worldSize)
    {
        var backend = new HostMemoryBackend();
        LocalCluster.Run(worldSize, comm =>
        {
            // Three one-chunk layers, two blocks; the walk is traced by hand in ChunkFetcherLogicTests.
            using var rank = new ModelRank<WideLayer>(backend, comm, 3, tied: false, publicBlocks: 2);
            using var fetcher = new ChunkFetcher(
                rank.Group, new PrefetchScheduler(3, rank.Model.ChunksPerStep()), backend, overlap: true);

            rank.Model.RunIteration(fetcher, rank.Model.CreateGroups(fetcher), rank.AssertLayerReadsItsParameters, rank.WriteGradient);

            Assert.Equal(3, fetcher.PrefetchHits);
            Assert.Equal(4, fetcher.Gathers);
            Assert.Equal(1, fetcher.Evictions);
            Assert.Equal(2, rank.Group.Pool.FreePublicCount);
            rank.AssertShardsHoldAveragedGradients();
        }, Options);
        Assert.Equal(0, backend.LiveBuffers);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Overlap_OnTheTiedModel_ReadsParametersAndReducesGradients(int worldSize)
    {
        var backend = new HostMemoryBackend();
        LocalCluster.Run(worldSize, comm =>
        {
            using var rank = new ModelRank<NarrowLayer>(backend, comm, 6, tied: true, publicBlocks: 3);
            using var fetcher = new ChunkFetcher(
                rank.Group, new PrefetchScheduler(5, rank.Model.ChunksPerStep()), backend, overlap: true);

            rank.Model.RunIteration(fetcher, rank.Model.CreateGroups(fetcher), rank.AssertLayerReadsItsParameters, rank.WriteGradient);

            Assert.True(fetcher.PrefetchHits > 0);
            Assert.Equal(3, rank.Group.Pool.FreePublicCount);
            rank.AssertShardsHoldAveragedGradients();
        }, Options);
        Assert.Equal(0, backend.LiveBuffers);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void TooSmallRCache_ThrowsWithTheNumbersOnEveryRank_AndChangesNothing(int worldSize)
    {
        var backend = new HostMemoryBackend();
        LocalCluster.Run(worldSize, comm =>
        {
            using var rank = new ModelRank<NarrowLayer>(backend, comm, 6, tied: true, publicBlocks: 1);
            using var fetcher = new ChunkFetcher(rank.Group, new FifoScheduler(5), backend, overlap: false);
            var groups = rank.Model.CreateGroups(fetcher);
            fetcher.Reset();
            fetcher.ToCompute(groups[0]);
            fetcher.Gather(groups[0]);
            fetcher.ToHold(groups[0], ComputePhase.Forward);
            fetcher.ToCompute(groups[1]);

            // Layer 1 straddles chunks 1 and 2; chunk 1 already holds the only public block.
            var error = Assert.Throws<RCacheTooSmallException>(() => fetcher.Gather(groups[1]));

            Assert.StartsWith("rCache too small: step 1 needs 2 blocks, 1 available", error.Message, StringComparison.Ordinal);
            Assert.Equal(0, fetcher.CurrentStep);
            Assert.Equal(2, fetcher.Gathers);
            Assert.True(rank.Group.Chunks[1].IsGathered);
            Assert.False(rank.Group.Chunks[2].IsGathered);
            Assert.Equal(0, rank.Group.Pool.FreePublicCount);
        }, Options);
        Assert.Equal(0, backend.LiveBuffers);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(4, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(4, true)]
    public void SteadyStateIterations_AllocateNothing_OnAnyRank(int worldSize, bool overlap)
    {
        var backend = new HostMemoryBackend();
        var allocated = LocalCluster.Run(worldSize, comm =>
        {
            using var rank = new ModelRank<NarrowLayer>(backend, comm, 6, tied: true, publicBlocks: 3);
            using var fetcher = new ChunkFetcher(
                rank.Group, new PrefetchScheduler(5, rank.Model.ChunksPerStep()), backend, overlap);
            var groups = rank.Model.CreateGroups(fetcher);
            Action<TensorHandle> write = rank.WriteGradient;
            rank.Model.RunIteration(fetcher, groups, writeGradient: write);
            rank.Model.RunIteration(fetcher, groups, writeGradient: write);

            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 3; i++)
            {
                rank.Model.RunIteration(fetcher, groups, writeGradient: write);
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }, Options);
        Assert.All(allocated, bytes => Assert.Equal(0, bytes));
    }
}
