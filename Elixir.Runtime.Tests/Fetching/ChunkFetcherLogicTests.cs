using Elixir.Fetching;
using Elixir.Layout;
using Elixir.Planning;
using Elixir.Scheduling;

namespace Elixir.Runtime.Tests.Fetching;

/// <summary>The fetcher's decisions, on chunk bookkeeping without data and streams that record what they are asked.</summary>
public sealed class ChunkFetcherLogicTests
{
    private static readonly int[] TiedTensorsPerChunk = [1, 3, 3, 3, 3];
    private static readonly bool[] TiedFused = [true, false, false, false, false];

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Gathers_MatchTheMoveSimulator_OverTheSameSteps(int blocks)
    {
        var model = LayeredModel.Tied();
        var profile = model.ChunksPerStep();
        var publicSteps = profile.Select(s => s.Where(c => !TiedFused[c]).ToArray()).ToArray();
        var chunks = new FakeChunks(TiedTensorsPerChunk, TiedFused, blocks);
        using var fetcher = new ChunkFetcher(chunks, new PrefetchScheduler(5, profile), new RecordingBackend(null), overlap: false);
        var groups = model.CreateGroups(fetcher);

        for (var iteration = 1; iteration <= 2; iteration++)
        {
            model.RunIteration(fetcher, groups);
            // Plus one gather per iteration of the fused chunk, which is never evicted.
            Assert.Equal(iteration * (MoveSimulator.CountGathers(publicSteps, blocks) + 1), fetcher.Gathers);
            Assert.Equal(iteration * (FurthestNextUseReference.Loads(publicSteps, blocks) + 1), fetcher.Gathers);
            Assert.Equal(blocks, chunks.FreePublicBlocks);
        }

        Assert.Equal(2 * 5, fetcher.Reduces);
    }

    [Fact]
    public void Overlap_PrefetchesTheNextChunk_WaitsOnAHit_AndRecyclesReduceBlocksAfterTheirEvent()
    {
        var log = new List<string>();
        var model = LayeredModel.OneChunkPerLayer(3);
        var chunks = new FakeChunks([1, 1, 1], [false, false, false], publicBlocks: 2, log);
        using var fetcher = new ChunkFetcher(
            chunks, new PrefetchScheduler(3, model.ChunksPerStep()), new RecordingBackend(log), overlap: true);

        model.RunIteration(fetcher, model.CreateGroups(fetcher));

        // Worked out by hand from the profile [0] [1] [2] [2] [1] [0] with two blocks.
        string[] expected =
        [
            "gather 0 on main",                                                        // step 0
            "main.record mainMark", "prefetch.wait mainMark", "gather 1 on prefetch", "prefetch.record prefetchDone",
            "main.wait prefetchDone",                                                  // step 1: hit
            "main.record mainMark", "prefetch.wait mainMark", "release 0 on prefetch", // evict 0 (next use 5)
            "gather 2 on prefetch", "prefetch.record prefetchDone",
            "main.wait prefetchDone",                                                  // step 2: hit; 1 is gathered
            "main.record mainMark", "reduce.wait mainMark", "reduce 2 on reduce", "reduce.record reduceDone", // step 3
            "main.wait reduceDone", "finish 2 on main",                                // step 4: reclaim 2's block for 0
            "main.record mainMark", "prefetch.wait mainMark", "gather 0 on prefetch", "prefetch.record prefetchDone",
            "main.record mainMark", "reduce.wait mainMark", "reduce 1 on reduce", "reduce.record reduceDone",
            "main.wait prefetchDone",                                                  // step 5: hit
            "main.record mainMark", "reduce.wait mainMark",
            "main.wait reduceDone", "finish 1 on main",                                // 1's block back before 0's reduce
            "reduce 0 on reduce", "reduce.record reduceDone",
            "reduce.sync", "main.wait reduceDone", "finish 0 on main",                 // clear
        ];
        Assert.Equal(expected, log);
        Assert.Equal(3, fetcher.PrefetchHits);
        Assert.Equal(4, fetcher.Gathers);
        Assert.Equal(1, fetcher.Evictions);
        Assert.Equal(2, chunks.FreePublicBlocks);
    }

    [Fact]
    public void StepNeedingMoreBlocksThanTheRCache_ThrowsWithTheNumbers_AndChangesNothing()
    {
        var chunks = new FakeChunks([1, 1, 1], [false, false, false], publicBlocks: 2);
        using var fetcher = new ChunkFetcher(chunks, new FifoScheduler(3), new RecordingBackend(null), overlap: false);
        var all = fetcher.CreateGroup([new TensorHandle(0, 0), new TensorHandle(1, 0), new TensorHandle(2, 0)]);
        fetcher.Reset();
        fetcher.ToCompute(all);

        var error = Assert.Throws<RCacheTooSmallException>(() => fetcher.Gather(all));

        Assert.Equal("rCache too small: step 0 needs 3 blocks, 2 available (the rCache has 2 public blocks); " +
                     "allocate more blocks or use smaller chunks.", error.Message);
        Assert.Equal(-1, fetcher.CurrentStep);
        Assert.Equal(0, fetcher.Gathers);
        Assert.Equal(2, chunks.FreePublicBlocks);
        Assert.False(chunks.IsGathered(0));
    }

    [Fact]
    public void StepWhileOtherChunksStillCompute_ThrowsWithTheNumbers_AndChangesNothing()
    {
        var chunks = new FakeChunks([1, 1, 1], [false, false, false], publicBlocks: 2);
        using var fetcher = new ChunkFetcher(chunks, new FifoScheduler(3), new RecordingBackend(null), overlap: false);
        var first = fetcher.CreateGroup([new TensorHandle(0, 0), new TensorHandle(1, 0)]);
        var second = fetcher.CreateGroup([new TensorHandle(2, 0)]);
        fetcher.Reset();
        fetcher.ToCompute(first);
        fetcher.Gather(first);
        fetcher.ToCompute(second);

        var error = Assert.Throws<RCacheTooSmallException>(() => fetcher.Gather(second));

        Assert.Equal((1, 1, 0), (error.Step, error.NeededBlocks, error.AvailableBlocks));
        Assert.Equal(0, fetcher.CurrentStep);
        Assert.True(chunks.IsGathered(0) && chunks.IsGathered(1));
        Assert.Equal(2, fetcher.Gathers);
    }

    [Fact]
    public void IllegalTransitionInAGroup_Throws_AndLeavesEveryTensorAsItWas()
    {
        var chunks = new FakeChunks([2], [false], publicBlocks: 1);
        using var fetcher = new ChunkFetcher(chunks, new FifoScheduler(1), new RecordingBackend(null), overlap: false);
        chunks.Transition(0, 1, TensorState.Compute);
        chunks.Transition(0, 1, TensorState.HoldAfterBackward);
        chunks.Transition(0, 1, TensorState.ReadyForReduce);
        var group = fetcher.CreateGroup([new TensorHandle(0, 0), new TensorHandle(0, 1)]);

        var error = Assert.Throws<IllegalStateTransitionException>(() => fetcher.ToCompute(group));

        Assert.Equal("c0.t1", error.Tensor);
        Assert.Equal(TensorState.Hold, chunks.StateOf(0, 0));
        Assert.Equal(TensorState.ReadyForReduce, chunks.StateOf(0, 1));
    }

    [Fact]
    public void GradientReadyBeforeBackward_Throws_AndReducesNothing()
    {
        var chunks = new FakeChunks([2], [false], publicBlocks: 1);
        using var fetcher = new ChunkFetcher(chunks, new FifoScheduler(1), new RecordingBackend(null), overlap: false);

        var error = Assert.Throws<IllegalStateTransitionException>(() => fetcher.GradientReady(new TensorHandle(0, 1)));

        Assert.Equal(("c0.t1", TensorState.Hold, TensorState.ReadyForReduce), (error.Tensor, error.From, error.To));
        Assert.Equal(TensorState.Hold, chunks.StateOf(0, 1));
        Assert.Equal(0, fetcher.Reduces);
    }

    [Theory]
    [InlineData(3, 0, "chunk 3 is outside [0, 2)")]
    [InlineData(1, 2, "chunk 1 has 2 tensors, not a tensor 2")]
    public void HandleOutsideTheChunks_IsRefused(int chunk, int tensor, string message)
    {
        var chunks = new FakeChunks([1, 2], [false, false], publicBlocks: 1);
        using var fetcher = new ChunkFetcher(chunks, new FifoScheduler(2), new RecordingBackend(null), overlap: false);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => fetcher.CreateGroup([new TensorHandle(chunk, tensor)]));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SchedulerOfAnotherSize_IsRefused()
    {
        var chunks = new FakeChunks([1, 1], [false, false], publicBlocks: 1);
        var error = Assert.Throws<ArgumentException>(
            () => new ChunkFetcher(chunks, new FifoScheduler(3), new RecordingBackend(null), overlap: false));
        Assert.Contains("sized for 3 chunks but there are 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StepPastTheProfile_ThrowsFromFetch_AndKeepsTheStep()
    {
        var chunks = new FakeChunks([1], [false], publicBlocks: 1);
        using var fetcher = new ChunkFetcher(chunks, new PrefetchScheduler(1, [[0]]), new RecordingBackend(null), overlap: false);
        var group = fetcher.CreateGroup([new TensorHandle(0, 0)]);
        fetcher.Reset();
        fetcher.ToCompute(group);
        fetcher.Gather(group);

        var error = Assert.Throws<InvalidOperationException>(() => fetcher.Gather(group));

        Assert.Contains("past the 1 profiled steps", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, fetcher.CurrentStep);
    }

    [Fact]
    public void ReleaseAll_ScattersEveryReleasableChunk_ForInference()
    {
        var model = LayeredModel.Tied();
        var chunks = new FakeChunks(TiedTensorsPerChunk, TiedFused, publicBlocks: 3);
        using var fetcher = new ChunkFetcher(chunks, new FifoScheduler(5), new RecordingBackend(null), overlap: false);
        var groups = model.CreateGroups(fetcher);
        fetcher.Reset();
        foreach (var group in groups)
        {
            fetcher.ToCompute(group);
            fetcher.Gather(group);
            fetcher.ToHold(group, ComputePhase.Forward);
        }

        Assert.Throws<InvalidOperationException>(fetcher.Clear);
        fetcher.ScatterAll();

        Assert.Equal(3, chunks.FreePublicBlocks);
        Assert.All(Enumerable.Range(1, 4), c => Assert.False(chunks.IsGathered(c)));
        Assert.Equal(0, fetcher.Scheduler.Count);
    }

    [Fact]
    public void ReleaseAll_AlsoScattersAChunkStillBeingPrefetched()
    {
        var model = LayeredModel.OneChunkPerLayer(3);
        var chunks = new FakeChunks([1, 1, 1], [false, false, false], publicBlocks: 2);
        using var fetcher = new ChunkFetcher(
            chunks, new PrefetchScheduler(3, model.ChunksPerStep()), new RecordingBackend(null), overlap: true);
        var first = model.CreateGroups(fetcher)[0];
        fetcher.Reset();
        fetcher.ToCompute(first);
        fetcher.Gather(first);
        fetcher.ToHold(first, ComputePhase.Forward);
        Assert.True(chunks.IsGathered(1));

        fetcher.ScatterAll();

        Assert.Equal(2, chunks.FreePublicBlocks);
        Assert.False(chunks.IsGathered(0) || chunks.IsGathered(1));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SteadyStateIteration_AllocatesNothing(bool overlap)
    {
        var model = LayeredModel.Tied();
        var chunks = new FakeChunks(TiedTensorsPerChunk, TiedFused, publicBlocks: 3);
        using var fetcher = new ChunkFetcher(
            chunks, new PrefetchScheduler(5, model.ChunksPerStep()), new RecordingBackend(null), overlap);
        var groups = model.CreateGroups(fetcher);
        model.RunIteration(fetcher, groups);

        var before = GC.GetAllocatedBytesForCurrentThread();
        model.RunIteration(fetcher, groups);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
