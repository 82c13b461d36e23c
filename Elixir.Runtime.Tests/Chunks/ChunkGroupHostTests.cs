using Elixir.Collectives.Host;
using Elixir.Kernels.Host;
using Elixir.Memory.Host;

namespace Elixir.Tests.Chunks;

/// <summary><see cref="ChunkGroupTests"/> on host ranks, plus the failure propagation of the host cluster.</summary>
public sealed class ChunkGroupHostTests : ChunkGroupTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void RankFailingBeforeAGather_MakesTheOthersFailFast(int worldSize)
    {
        var backend = new HostMemoryBackend();
        var error = Assert.Throws<LocalClusterException>(() => LocalCluster.Run(worldSize, comm =>
        {
            using var rank = new RankSetup<float>(new RankContext(backend, new HostKernels(), comm));
            if (comm.Rank == worldSize - 1)
            {
                throw new InvalidOperationException("model code failed");
            }

            rank.Group.Gather(rank.Chunk);
        }, HostRankEnvironment.Checked with { CollectiveTimeout = TimeSpan.FromMinutes(5) }));
        Assert.Equal(worldSize - 1, error.OriginalRank);
        Assert.All(error.Errors.Take(worldSize - 1), e => Assert.IsType<CollectiveAbortedException>(e));
        Assert.Equal(0, backend.LiveBuffers);
    }

    private protected override RankEnvironment CreateEnvironment() => new HostRankEnvironment();
}
