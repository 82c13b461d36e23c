using System.Diagnostics;
using Elixir.Collectives;
using Elixir.Collectives.Host;
using Elixir.Memory;
using Elixir.Memory.Host;
using Elixir.Numerics;
using Elixir.Tests.Chunks;

namespace Elixir.Tests.Collectives;

public sealed class HostCommunicatorTests
{
    private const int Count = 4100; // more than two reduction tiles, not a multiple of the tile or vector width
    private static readonly LocalClusterOptions Checked = new() { Checked = true, CollectiveTimeout = TimeSpan.FromSeconds(20) };

    private static float Value(int rank, long i) => ((i * 3 + rank * 5) % 17 - 8) / 8f;

    public static TheoryData<int, DType> Cases()
    {
        var data = new TheoryData<int, DType>();
        foreach (int n in new[] { 1, 2, 4 })
        {
            foreach (var type in new[] { DType.Float32, DType.Float16, DType.BFloat16 })
            {
                data.Add(n, type);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Collectives_MatchPlainLoops(int worldSize, DType type)
    {
        switch (type)
        {
            case DType.Float32: Run<float>(worldSize); break;
            case DType.Float16: Run<Half>(worldSize); break;
            default: Run<BFloat16>(worldSize); break;
        }
    }

    private static void Run<T>(int worldSize) where T : unmanaged
    {
        var backend = new HostMemoryBackend();
        LocalCluster.Run(worldSize, comm =>
        {
            var type = DTypeInfo.Of<T>();
            int size = type.SizeOf();
            using var full = backend.Allocate(Count * worldSize * size, MemoryLocation.Device);
            using var part = backend.Allocate(Count * size, MemoryLocation.Device);
            int r = comm.Rank;

            // All-gather with send aliasing this rank's part of receive.
            var own = full.Slice(r * Count * size, Count * size);
            Fill(own.AsSpan<T>(), i => Value(r, i));
            comm.AllGather(own, full.All, type);
            var gathered = full.All.AsSpan<T>();
            for (int k = 0; k < worldSize; k++)
            {
                for (int i = 0; i < Count; i++)
                {
                    Assert.Equal(Value(k, i), TestValues.ToFloat(gathered[k * Count + i]));
                }
            }

            // Reduce-scatter (average and sum): rank r gets the rank-ordered reduction of part r.
            foreach (var op in new[] { ReduceOp.Average, ReduceOp.Sum, ReduceOp.Max })
            {
                Fill(full.All.AsSpan<T>(), i => Value(r, i));
                comm.ReduceScatter(full.All, part.All, type, op);
                var result = part.All.AsSpan<T>();
                for (int i = 0; i < Count; i++)
                {
                    Assert.Equal(Reference(worldSize, r * Count + i, op), TestValues.ToFloat(result[i]));
                }
            }

            // In-place all-reduce.
            foreach (var op in new[] { ReduceOp.Sum, ReduceOp.Max })
            {
                Fill(part.All.AsSpan<T>(), i => Value(r, i));
                comm.AllReduce(part.All, part.All, type, op);
                var result = part.All.AsSpan<T>();
                for (int i = 0; i < Count; i++)
                {
                    Assert.Equal(Reference(worldSize, i, op), TestValues.ToFloat(result[i]));
                }
            }

            // Broadcast from the last rank.
            Fill(part.All.AsSpan<T>(), i => Value(r, i));
            comm.Broadcast(part.All, type, worldSize - 1);
            var broadcast = part.All.AsSpan<T>();
            for (int i = 0; i < Count; i++)
            {
                Assert.Equal(Value(worldSize - 1, i), TestValues.ToFloat(broadcast[i]));
            }

            Assert.Equal(Enumerable.Range(0, worldSize).Sum(k => k + 0.5), comm.AllReduce(r + 0.5, ReduceOp.Sum));
            Assert.Equal(worldSize - 1, comm.AllReduce(r, ReduceOp.Max));
            comm.Barrier();
        }, Checked);
        Assert.Equal(0, backend.LiveBuffers);
    }

    private static float Reference(int worldSize, long i, ReduceOp op)
    {
        // Values are multiples of 1/8 in [-1, 1], so sums and averages are exact in every type used here.
        double sum = 0, max = double.NegativeInfinity;
        for (int k = 0; k < worldSize; k++)
        {
            sum += Value(k, i);
            max = Math.Max(max, Value(k, i));
        }

        return (float)(op == ReduceOp.Max ? max : op == ReduceOp.Sum ? sum : sum / worldSize);
    }

    private static void Fill<T>(Span<T> values, Func<long, float> value) where T : unmanaged
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = TestValues.To<T>(value(i));
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void ThrowingRank_FailsEveryWaitingRankFast_ReportingTheOriginal(int worldSize)
    {
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<LocalClusterException>(() => LocalCluster.Run(worldSize, comm =>
        {
            if (comm.Rank == 1)
            {
                throw new InvalidOperationException("rank one broke");
            }

            comm.Barrier();
            comm.AllReduce(1.0, ReduceOp.Sum);
        }, new LocalClusterOptions { CollectiveTimeout = TimeSpan.FromMinutes(5) }));
        watch.Stop();

        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(1), "the other ranks waited for the timeout instead of failing fast");
        Assert.Equal(1, error.OriginalRank);
        Assert.Contains("rank one broke", error.Message);
        Assert.IsType<InvalidOperationException>(error.InnerException);
        for (int r = 0; r < worldSize; r++)
        {
            if (r != 1)
            {
                var aborted = Assert.IsType<CollectiveAbortedException>(error.Errors[r]);
                Assert.Equal(1, aborted.FailedRank);
                Assert.Contains("rank one broke", aborted.Message);
            }
        }
    }

    [Fact]
    public void MissingRank_TimesOutInsteadOfHanging()
    {
        var error = Assert.Throws<LocalClusterException>(() => LocalCluster.Run(2, comm =>
        {
            if (comm.Rank == 0)
            {
                comm.Barrier();
            }
        }, new LocalClusterOptions { CollectiveTimeout = TimeSpan.FromMilliseconds(200) }));
        var timeout = Assert.IsType<CollectiveAbortedException>(error.Errors[0]);
        Assert.Contains("timed out after 200 ms with 1 of 2 ranks arrived", timeout.Message);
        Assert.Contains("Barrier (#1)", timeout.Message);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void CheckedMode_MismatchedCollectives_ThrowNamingBothCalls(int worldSize)
    {
        var backend = new HostMemoryBackend();
        var error = Assert.Throws<LocalClusterException>(() => LocalCluster.Run(worldSize, comm =>
        {
            using var buffer = backend.Allocate(64 * worldSize, MemoryLocation.Device);
            comm.Barrier();
            if (comm.Rank == worldSize - 1)
            {
                comm.AllReduce(buffer.All, buffer.All, DType.Float32, ReduceOp.Sum);
            }
            else
            {
                comm.ReduceScatter(buffer.All, buffer.Slice(0, 64), DType.Float32, ReduceOp.Sum);
            }
        }, Checked));
        var mismatch = Assert.IsType<CollectiveMismatchException>(error.InnerException);
        Assert.Equal(worldSize - 1, mismatch.Rank);
        Assert.Contains($"rank {worldSize - 1} called AllReduce of {16 * worldSize} x Float32, Sum (#2)", mismatch.Message);
        Assert.Contains("rank 0 called ReduceScatter of 16 x Float32, Sum (#2)", mismatch.Message);
        Assert.Equal(0, backend.LiveBuffers);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Collectives_AllocateNothingAfterWarmUp(int worldSize)
    {
        var backend = new HostMemoryBackend();
        var allocated = LocalCluster.Run(worldSize, comm =>
        {
            using var full = backend.Allocate(256 * worldSize, MemoryLocation.Device);
            using var part = backend.Allocate(256, MemoryLocation.Device);
            void Round()
            {
                comm.AllGather(part.All, full.All, DType.Float16);
                comm.ReduceScatter(full.All, part.All, DType.BFloat16, ReduceOp.Average);
                comm.AllReduce(part.All, part.All, DType.Float32, ReduceOp.Sum);
                comm.Broadcast(part.All, DType.Float16, 0);
                comm.AllReduce(1.0, ReduceOp.Max);
                comm.Barrier();
            }

            Round();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                Round();
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }, Checked);
        Assert.All(allocated, bytes => Assert.Equal(0, bytes));
    }

    [Fact]
    public void BadArguments_ThrowNamingTheSizes()
    {
        var backend = new HostMemoryBackend();
        LocalCluster.Run(1, comm =>
        {
            using var buffer = backend.Allocate(64, MemoryLocation.Device);
            var gather = Assert.Throws<ArgumentException>(() => comm.AllGather(buffer.Slice(0, 16), buffer.Slice(0, 48), DType.Float32));
            Assert.Contains("16-byte buffer (1 x 16 bytes) but got 48 bytes", gather.Message);
            var odd = Assert.Throws<ArgumentException>(() => comm.Broadcast(buffer.Slice(0, 3), DType.Float16, 0));
            Assert.Contains("3 bytes is not a whole number of Float16", odd.Message);
            var root = Assert.Throws<ArgumentOutOfRangeException>(() => comm.Broadcast(buffer.All, DType.Float32, 1));
            Assert.Contains("root 1 is outside [0, 1)", root.Message);
            Assert.Equal(0, comm.Sequence);
        });
        Assert.Equal(0, backend.LiveBuffers);
    }
}
