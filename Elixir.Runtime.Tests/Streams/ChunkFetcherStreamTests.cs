using Elixir.Collectives.Host;
using Elixir.Fetching;
using Elixir.Memory.Host;
using Elixir.Runtime.Tests.Fetching;
using Elixir.Scheduling;

namespace Elixir.Runtime.Tests.Streams;

/// <summary>The fetcher's streams reach the chunks: what it names, the copies and collectives run on.</summary>
public sealed class ChunkFetcherStreamTests
{
    private static readonly LocalClusterOptions Options = new() { Checked = true, CollectiveTimeout = TimeSpan.FromSeconds(20) };

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(4, true)]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(4, false)]
    public void PrefetchedGathers_RunOnThePrefetchStream_AndReducesOnTheReduceStream(int worldSize, bool overlap)
    {
        var backend = new HostMemoryBackend();
        LocalCluster.Run(worldSize, comm =>
        {
            var log = new StreamLog();
            var recording = new StreamRecordingBackend(backend, log, "prefetch", "reduce");
            using var rank = new ModelRank<WideLayer>(
                recording, new StreamRecordingCommunicator(comm, log), 3, tied: false, publicBlocks: 2);
            using var fetcher = new ChunkFetcher(
                rank.Group, new PrefetchScheduler(3, rank.Model.ChunksPerStep()), recording, overlap);
            var groups = rank.Model.CreateGroups(fetcher);
            log.Operations.Clear();

            rank.Model.RunIteration(fetcher, groups, rank.AssertLayerReadsItsParameters, rank.WriteGradient);

            // The walk traced in ChunkFetcherLogicTests: with overlap, chunk 0 is gathered on the compute stream at
            // step 0 and prefetched again at step 4, chunks 1 and 2 are prefetched; without it all of it is on main.
            var prefetch = overlap ? "prefetch" : StreamLog.Main;
            var reduce = overlap ? "reduce" : StreamLog.Main;
            var shards = rank.Group.Chunks.Select(c => c.ShardPayload).ToArray();
            Assert.Equal([StreamLog.Main, prefetch], log.CopiesFrom(shards[0]));
            Assert.Equal([prefetch], log.CopiesFrom(shards[1]));
            Assert.Equal([prefetch], log.CopiesFrom(shards[2]));
            Assert.Equal([StreamLog.Main, prefetch, prefetch, prefetch], log.StreamsOf("all-gather"));
            foreach (var shard in shards)
            {
                Assert.Equal([reduce], log.CopiesInto(shard));
            }

            Assert.Equal(worldSize > 1 ? [reduce, reduce, reduce] : [], log.StreamsOf("reduce-scatter"));
            rank.AssertShardsHoldAveragedGradients();
        }, Options);
        Assert.Equal(0, backend.LiveBuffers);
    }
}
