using System.Diagnostics;
using Elixir.Collectives;
using Elixir.Collectives.Host;
using Elixir.Memory;
using Elixir.Memory.Host;
using Elixir.Numerics;

namespace Elixir.Tests.Collectives;

/// <summary>
/// Ranks that disagree (different sizes, kinds or order of collectives) or never arrive, with the cluster's
/// default options: each case is an error on every rank naming the calls, never a crash, a wrong sum or a hang.
/// </summary>
public sealed class CollectiveFaultTests
{
    private static readonly LocalClusterOptions Defaults = new() { CollectiveTimeout = TimeSpan.FromSeconds(3) };

    [Fact]
    public void Defaults_AreCheckedWithATimeoutOfMinutes()
    {
        var options = new LocalClusterOptions();

        Assert.True(options.Checked);
        Assert.True(options.CollectiveTimeout >= TimeSpan.FromMinutes(1), $"{options.CollectiveTimeout} is not minutes");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void DifferentSizes_FailOnEveryRank_NamingBothCalls(int worldSize)
    {
        var backend = new HostMemoryBackend();
        var error = Assert.Throws<LocalClusterException>(() => LocalCluster.Run(worldSize, comm =>
        {
            // The last rank's buffer is larger: unchecked, its peers would read past their own buffers.
            int count = comm.Rank == worldSize - 1 ? 1 << 20 : 16;
            using var buffer = backend.Allocate(count * sizeof(float), MemoryLocation.Device);
            comm.AllReduce(buffer.All, buffer.All, DType.Float32, ReduceOp.Sum);
        }, Defaults));

        AssertMismatchOnEveryRank(error, worldSize,
            $"rank {worldSize - 1} called AllReduce of 1048576 x Float32, Sum (#1)", "rank 0 called AllReduce of 16 x Float32, Sum (#1)");
        Assert.Equal(0, backend.LiveBuffers);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void DifferentOrder_FailsInsteadOfSummingTheWrongValues(int worldSize)
    {
        var error = Assert.Throws<LocalClusterException>(() => LocalCluster.Run(worldSize, comm =>
        {
            // Rank 1 reduces its values in the opposite order; unchecked, rank 0's first sum would mix them.
            if (comm.Rank == 1)
            {
                comm.AllReduce(2.0, ReduceOp.Max);
                comm.AllReduce(1.0, ReduceOp.Sum);
            }
            else
            {
                comm.AllReduce(1.0, ReduceOp.Sum);
                comm.AllReduce(2.0, ReduceOp.Max);
            }
        }, Defaults));

        AssertMismatchOnEveryRank(error, worldSize, "rank 1 called AllReduce of a scalar, Max (#1)", "rank 0 called AllReduce of a scalar, Sum (#1)");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void AllGatherAgainstBroadcast_Fails(int worldSize)
    {
        var backend = new HostMemoryBackend();
        var error = Assert.Throws<LocalClusterException>(() => LocalCluster.Run(worldSize, comm =>
        {
            using var full = backend.Allocate(16 * worldSize, MemoryLocation.Device);
            if (comm.Rank == 0)
            {
                comm.Broadcast(full.Slice(0, 16), DType.Float32, 0);
            }
            else
            {
                comm.AllGather(full.Slice(0, 16), full.All, DType.Float32);
            }
        }, Defaults));

        AssertMismatchOnEveryRank(error, worldSize, "rank 1 called AllGather of 4 x Float32 (#1)", "rank 0 called Broadcast of 4 x Float32 from rank 0 (#1)");
        Assert.Equal(0, backend.LiveBuffers);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void ExtraCollectiveOnOneRank_IsACallOrderMismatch(int worldSize)
    {
        var error = Assert.Throws<LocalClusterException>(() => LocalCluster.Run(worldSize, comm =>
        {
            if (comm.Rank == worldSize - 1)
            {
                comm.Barrier();
            }

            comm.AllReduce(1.0, ReduceOp.Sum);
        }, Defaults));

        AssertMismatchOnEveryRank(error, worldSize, $"rank {worldSize - 1} called Barrier (#1)", "rank 0 called AllReduce of a scalar, Sum (#1)");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void RankThatNeverArrives_FailsEveryRank_NamingItAndTheCall(int worldSize)
    {
        using var never = new ManualResetEventSlim();
        try
        {
            var watch = Stopwatch.StartNew();
            var error = Assert.Throws<LocalClusterException>(() => LocalCluster.Run(worldSize, comm =>
            {
                comm.Barrier();
                if (comm.Rank == 1)
                {
                    never.Wait();
                }

                comm.AllReduce(1.0, ReduceOp.Sum);
            }, Defaults));
            watch.Stop();

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"Run took {watch.Elapsed}");
            Assert.Contains("rank 1 (last call Barrier (#1))", error.Message);
            Assert.Contains("AllReduce of a scalar, Sum (#2) timed out after 3000 ms", error.Message);
            for (int r = 0; r < worldSize; r++)
            {
                var aborted = Assert.IsType<CollectiveAbortedException>(error.Errors[r]);
                Assert.Contains(r == 1 ? "Rank 1 did not return" : "rank 1 (last call Barrier (#1))", aborted.Message);
            }
        }
        finally
        {
            never.Set();
        }
    }

    [Fact]
    public void RankThatNeverReturns_AfterThePeersFinished_StillEndsTheRun()
    {
        using var never = new ManualResetEventSlim();
        try
        {
            var error = Assert.Throws<LocalClusterException>(() => LocalCluster.Run(2, comm =>
            {
                if (comm.Rank == 1)
                {
                    never.Wait();
                }
            }, Defaults));

            Assert.Equal(1, error.OriginalRank);
            Assert.Null(error.Errors[0]);
            Assert.Contains("Rank 1 did not return within 00:00:07 after the other ranks returned", error.Message);
        }
        finally
        {
            never.Set();
        }
    }

    [Fact]
    public void Unchecked_IsTheDocumentedOptOut_AndMatchingCallsStillAgree()
    {
        var sums = LocalCluster.Run(4, comm => comm.AllReduce(comm.Rank + 1, ReduceOp.Sum), Defaults with { Checked = false });

        Assert.All(sums, sum => Assert.Equal(10.0, sum));
    }

    private static void AssertMismatchOnEveryRank(LocalClusterException error, int worldSize, string call, string otherCall)
    {
        for (int r = 0; r < worldSize; r++)
        {
            var mismatch = Assert.IsType<CollectiveMismatchException>(error.Errors[r]);
            Assert.Contains(call, mismatch.Message);
            Assert.Contains(otherCall, mismatch.Message);
        }
    }
}
