using Elixir.Chunks;
using Elixir.Collectives;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Tests.Chunks;

/// <summary>The chunk's behaviour, run by <see cref="ChunkHostTests"/> on host ranks and by <see cref="ChunkGpuTests"/> on GPUs.</summary>
public abstract class ChunkTests
{
    private protected abstract RankEnvironment CreateEnvironment();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Access_GathersEveryTensorExactly_AndReleaseUnbindsViews(int worldSize)
    {
        var environment = CreateEnvironment();
        environment.Run(worldSize, context =>
        {
            using var rank = new RankSetup<float>(context);
            Assert.Equal(new ShardRange(32 / worldSize * context.Rank, 32 / worldSize, Math.Clamp(24 - 32 / worldSize * context.Rank, 0, 32 / worldSize)), rank.Chunk.Shard);
            Assert.True(rank.Group.Gather(rank.Chunk));
            Assert.False(rank.Group.Gather(rank.Chunk));
            for (int t = 0; t < RankSetup<float>.Counts.Length; t++)
            {
                var view = rank.ReadBoundTensor(t);
                for (int i = 0; i < view.Length; i++)
                {
                    Assert.Equal(TestValues.Parameter(t, i), view[i]);
                }
            }

            rank.Group.Scatter(rank.Chunk);
            Assert.Equal(0, rank.Binding.AddressOf(0));
            Assert.Throws<InvalidOperationException>(() => rank.Binding.HostSpan<float>(0).Length);
            Assert.Equal(2, rank.Group.Pool.FreePublicCount);
        });
        Assert.Equal(0, environment.LiveBuffers);
    }

    [Theory]
    [InlineData(1, DType.Float32, false)]
    [InlineData(2, DType.Float32, false)]
    [InlineData(4, DType.Float32, false)]
    [InlineData(2, DType.Float16, false)]
    [InlineData(4, DType.Float16, true)]
    [InlineData(4, DType.BFloat16, false)]
    [InlineData(2, DType.BFloat16, true)]
    public void Reduce_LeavesRankAverageInShard_AndNormsSumToWholeNorm(int worldSize, DType type, bool alwaysFp32)
    {
        switch (type)
        {
            case DType.Float32: ReduceCase<float>(worldSize, alwaysFp32); break;
            case DType.Float16: ReduceCase<Half>(worldSize, alwaysFp32); break;
            default: ReduceCase<BFloat16>(worldSize, alwaysFp32); break;
        }
    }

    private void ReduceCase<T>(int worldSize, bool alwaysFp32) where T : unmanaged
    {
        // Reference: the rank-average of every element of the chunk, and the squared norm of the whole average.
        var expected = new float[RankSetup<T>.ChunkSize];
        double expectedNorm = 0;
        long position = 0;
        for (int t = 0; t < RankSetup<T>.Counts.Length; t++)
        {
            for (long i = 0; i < RankSetup<T>.Counts[t]; i++, position++)
            {
                double sum = 0;
                for (int r = 0; r < worldSize; r++)
                {
                    sum += TestValues.Gradient(r, t, i);
                }

                expected[position] = (float)(sum / worldSize);
                expectedNorm += (double)expected[position] * expected[position];
            }
        }

        var environment = CreateEnvironment();
        environment.Run(worldSize, context =>
        {
            using var rank = new RankSetup<T>(context);
            rank.Chunk.L2NormEnabled = true;
            rank.Group.Gather(rank.Chunk);
            rank.MoveAll(TensorState.Compute, TensorState.HoldAfterBackward);
            rank.WriteGradients(TestValues.Gradient);
            rank.MoveAll(TensorState.ReadyForReduce);
            rank.Group.Reduce(rank.Chunk, alwaysFp32);
            Assert.Null(rank.Chunk.Block);

            var shard = context.Read<T>(rank.Chunk.ShardPayload);
            for (int i = 0; i < rank.Chunk.Shard.ValidCount; i++)
            {
                Assert.Equal(expected[rank.Chunk.Shard.Begin + i], TestValues.ToFloat(shard[i]));
            }

            Assert.False(rank.Chunk.Overflow);
            Assert.Equal(RankSetup<T>.Counts.Length, rank.Counter.Count(TensorState.Hold));
            double total = context.Communicator.AllReduce(rank.Chunk.L2NormSquared!.Value, ReduceOp.Sum);
            Assert.Equal(expectedNorm, total, 1e-9);
        });
        Assert.Equal(0, environment.LiveBuffers);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Reduce_InfOrNaNOnOneRank_SetsOverflowOnTheOwningRank(int worldSize)
    {
        var environment = CreateEnvironment();
        var flags = environment.Run(worldSize, context =>
        {
            using var rank = new RankSetup<float>(context);
            rank.Group.Gather(rank.Chunk);
            rank.MoveAll(TensorState.Compute, TensorState.HoldAfterBackward);
            rank.WriteGradients((r, t, i) =>
                r == worldSize - 1 && t == 0 && i == 1 ? float.PositiveInfinity
                : r == 0 && t == 3 && i == 8 ? float.NaN
                : TestValues.Gradient(r, t, i));
            rank.MoveAll(TensorState.ReadyForReduce);
            rank.Group.Reduce(rank.Chunk);
            return rank.Chunk.Overflow;
        });

        // Element 1 lies in rank 0's shard and element 23 (tensor 3, element 8) in the shard of rank 23 / (32 / N).
        var expected = new bool[worldSize];
        expected[0] = true;
        expected[23 / (32 / worldSize)] = true;
        Assert.Equal(expected, flags);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void FusedChunk_WalksStatesInItsPrivateBlock_AndIsNeverScattered(int worldSize)
    {
        var environment = CreateEnvironment();
        environment.Run(worldSize, context =>
        {
            using var rank = new RankSetup<float>(context, fused: true);
            var chunk = rank.Chunk;
            Assert.True(chunk.PrivateBlock!.InUse);
            Assert.False(chunk.CanScatter);
            Assert.True(rank.Group.Gather(chunk));
            Assert.Same(chunk.PrivateBlock, chunk.Block);
            Assert.Equal(2, rank.Group.Pool.FreePublicCount);
            Assert.Contains(chunk, rank.Group.GatheredFusedChunks);
            rank.MoveAll(TensorState.Compute);
            Assert.False(chunk.CanScatter);
            rank.MoveAll(TensorState.HoldAfterBackward);
            Assert.False(chunk.CanScatter);
            var error = Assert.Throws<ChunkStateException>(() => chunk.Scatter());
            Assert.Contains("never scattered", error.Message);
            rank.MoveAll(TensorState.ReadyForReduce);
            Assert.True(chunk.CanReduce);
            rank.Group.Reduce(chunk);
            Assert.Null(chunk.Block);
            Assert.Equal(RankSetup<float>.Counts.Length, chunk.CountIn(TensorState.Hold));
            Assert.False(rank.Group.IsGathered(chunk));
            Assert.True(rank.Group.Gather(chunk));
        });
        Assert.Equal(0, environment.LiveBuffers);
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(4, false)]
    [InlineData(2, true)]
    [InlineData(4, true)]
    public void HostCopyAndLoad_RoundTrip(int worldSize, bool onlyRank0)
    {
        var environment = CreateEnvironment();
        environment.Run(worldSize, context =>
        {
            using var rank = new RankSetup<Half>(context);
            var copies = rank.Chunk.GetHostCopy<Half>(onlyRank0);
            if (onlyRank0 && context.Rank != 0)
            {
                Assert.All(copies, Assert.Null);
            }
            else
            {
                for (int t = 0; t < copies.Length; t++)
                {
                    Assert.Equal(Enumerable.Range(0, (int)RankSetup<Half>.Counts[t]).Select(i => (Half)TestValues.Parameter(t, i)), copies[t]!);
                }
            }

            // Load new values into tensors 1 and 3; tensors 0 and 2 (null) keep theirs.
            Half[]?[]? loads = onlyRank0 && context.Rank != 0 ? null :
            [
                null,
                Enumerable.Range(0, 7).Select(i => (Half)(i + 0.5f)).ToArray(),
                null,
                Enumerable.Range(0, 9).Select(i => (Half)(-i)).ToArray(),
            ];
            rank.Chunk.LoadTensors(loads, onlyRank0);
            var after = rank.Chunk.GetHostCopy<Half>();
            Assert.Equal(Enumerable.Range(0, 5).Select(i => (Half)TestValues.Parameter(0, i)), after[0]!);
            Assert.Equal(Enumerable.Range(0, 7).Select(i => (Half)(i + 0.5f)), after[1]!);
            Assert.Equal(Enumerable.Range(0, 3).Select(i => (Half)TestValues.Parameter(2, i)), after[2]!);
            Assert.Equal(Enumerable.Range(0, 9).Select(i => (Half)(-i)), after[3]!);
        });
        Assert.Equal(0, environment.LiveBuffers);
    }

    [Theory]
    [InlineData(1, MemoryLocation.Device)]
    [InlineData(2, MemoryLocation.Device)]
    [InlineData(4, MemoryLocation.Device)]
    [InlineData(1, MemoryLocation.Host)]
    [InlineData(2, MemoryLocation.Host)]
    [InlineData(4, MemoryLocation.Host)]
    public void OptimizerUpdate_RefreshesEagerlyOnDevice_AndLazilyAtNextGatherWhenOffloaded(int worldSize, MemoryLocation location)
    {
        var environment = CreateEnvironment();
        environment.Run(worldSize, context =>
        {
            using var rank = new RankSetup<Half>(context, shardLocation: location);
            using var master = new RankSetup<float>(context, shardLocation: location);
            rank.Chunk.InitPair(master.Chunk);
            rank.Chunk.InitPair(master.Chunk);
            // Each master element holds 100 plus its index in the whole chunk.
            int shardLength = (int)(master.Chunk.ShardPayload.ByteLength / sizeof(float));
            context.Write<float>(master.Chunk.ShardPayload, [.. Enumerable.Range(0, shardLength).Select(i => 100f + shardLength * context.Rank + i)]);

            rank.Chunk.RefreshFromMaster();
            Assert.Equal(location == MemoryLocation.Device, rank.Chunk.OptimizerSynced);
            rank.Group.Gather(rank.Chunk);
            var t3 = rank.ReadBoundTensor(3);
            for (int i = 0; i < t3.Length; i++)
            {
                long element = 15 + i;
                Assert.Equal((Half)(100 + element), t3[i]);
            }

            rank.Group.Scatter(rank.Chunk);
            Assert.True(rank.Chunk.OptimizerSynced);
            var shard = context.Read<Half>(rank.Chunk.ShardPayload);
            var masterShard = context.Read<float>(master.Chunk.ShardPayload);
            for (int i = 0; i < shard.Length; i++)
            {
                Assert.Equal((Half)masterShard[i], shard[i]);
            }
        });
        Assert.Equal(0, environment.LiveBuffers);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void MemoryUsage_CountsBlockAndShardByLocation(int worldSize)
    {
        var environment = CreateEnvironment();
        environment.Run(worldSize, context =>
        {
            // A 32 x Float32 chunk: a 128-byte block on the device, a 128 / N-byte shard offloaded to the host.
            using var rank = new RankSetup<float>(context, shardLocation: MemoryLocation.Host);
            Assert.Equal(new ChunkMemoryUsage(0, 128 / worldSize), rank.Chunk.MemoryUsage());
            rank.Group.Gather(rank.Chunk);
            Assert.Equal(new ChunkMemoryUsage(128, 128 / worldSize), rank.Chunk.MemoryUsage());
            Assert.Contains("T3 [15, 24) Hold", rank.Chunk.Describe());
        });
    }

    [Fact]
    public void Construction_SizeNotDivisibleByWorldSize_NamesBothNumbers()
    {
        var environment = CreateEnvironment();
        environment.Run(4, context =>
        {
            using var pool = new RCache(context.Backend, "p", 30, DType.Float32, 1);
            var error = Assert.Throws<ArgumentException>(() =>
                new Chunk(pool, context.Backend, context.Communicator, context.Kernels, 30, DType.Float32, MemoryLocation.Device));
            Assert.Contains("30", error.Message);
            Assert.Contains("4", error.Message);
        });
        Assert.Equal(0, environment.LiveBuffers);
    }

    [Fact]
    public void Append_WrongTypeOrFullChunk_ThrowsAndLeavesChunkUnchanged()
    {
        var environment = CreateEnvironment();
        environment.Run(1, context =>
        {
            using var pool = new RCache(context.Backend, "p", 16, DType.Float32, 1);
            using var chunk = new Chunk(pool, context.Backend, context.Communicator, context.Kernels, 16, DType.Float32, MemoryLocation.Device);
            var layout = new LayoutInstance<TooBigLayout>();
            var (binding, counter) = (layout.Binding, layout.Counter);
            chunk.Append(binding, counter, 0);
            var full = Assert.Throws<ChunkFullException>(() => chunk.Append(binding, counter, 1));
            Assert.Contains("7", full.Message);
            Assert.Contains("6 of 16", full.Message);
            Assert.Equal(10, chunk.UsedElements);
            Assert.Equal(1, chunk.TensorCount);
            Assert.Equal(TensorState.Free, counter[1]);

            var half = new LayoutInstance<HalfLayout>();
            var wrong = Assert.Throws<ArgumentException>(() => chunk.Append(half.Binding, half.Counter, 0));
            Assert.Contains("Float16", wrong.Message);
            Assert.Equal(1, chunk.TensorCount);
        });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void IllegalOperations_ThrowNamingCounts_AndChangeNothing(int worldSize)
    {
        var environment = CreateEnvironment();
        environment.Run(worldSize, context =>
        {
            using var rank = new RankSetup<float>(context);
            var chunk = rank.Chunk;
            Assert.Throws<ChunkStateException>(() => rank.Group.Scatter(chunk));
            var wrongBlock = Assert.Throws<ChunkStateException>(() => chunk.Gather(rank.Group.Pool.PrivateBlocks[0]));
            Assert.Contains("public block in use of 32 x Float32", wrongBlock.Message);
            Assert.Contains("private block #0", wrongBlock.Message);
            Assert.False(chunk.IsGathered);
            var load = Assert.Throws<ArgumentException>(() => chunk.LoadTensors<float>([new float[5], new float[6], null, null]));
            Assert.Contains("'T1' has 7 elements but 6 were given", load.Message);
            var loadCount = Assert.Throws<ArgumentException>(() => chunk.LoadTensors<float>([null]));
            Assert.Contains("holds 4 tensors but 1 were given", loadCount.Message);
            rank.Group.Gather(chunk);
            Assert.Throws<ChunkStateException>(() => chunk.Gather(null));

            rank.Group.TransitionTensor(rank.Counter, 1, TensorState.Compute);
            var release = Assert.Throws<ChunkStateException>(() => rank.Group.Scatter(chunk));
            Assert.Contains("1 of 4 tensors are computing", release.Message);
            Assert.True(chunk.IsGathered);

            var reduce = Assert.Throws<ChunkStateException>(() => rank.Group.Reduce(chunk));
            Assert.Contains("0 of 4 tensors are ready", reduce.Message);
            Assert.True(rank.Group.IsGathered(chunk));

            Assert.Throws<IllegalStateTransitionException>(() => rank.Group.TransitionTensor(rank.Counter, 0, TensorState.ReadyForReduce));
            Assert.Equal(3, chunk.CountIn(TensorState.Hold));
            Assert.Equal(1, chunk.CountIn(TensorState.Compute));
            Assert.Equal(TensorState.Hold, rank.Counter[0]);

            var gradient = Assert.Throws<ArgumentException>(() => chunk.WriteGradient(0, rank.Group.Pool.PublicBlocks[1].Payload));
            Assert.Contains("20 bytes", gradient.Message);
            Assert.Contains("128", gradient.Message);
        });
        Assert.Equal(0, environment.LiveBuffers);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void SteadyState_AccessReleaseReduceCycles_AllocateNothing(int worldSize)
    {
        var environment = CreateEnvironment();
        var allocated = environment.Run(worldSize, context =>
        {
            using var rank = new RankSetup<Half>(context);
            rank.Chunk.L2NormEnabled = true;
            void Cycle()
            {
                rank.Group.Gather(rank.Chunk);
                rank.Group.Scatter(rank.Chunk);
                rank.Group.Gather(rank.Chunk);
                rank.MoveAll(TensorState.Compute, TensorState.HoldAfterBackward, TensorState.ReadyForReduce);
                rank.Group.Reduce(rank.Chunk, alwaysFp32: true);
            }

            Cycle();
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                Cycle();
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        });
        Assert.All(allocated, bytes => Assert.Equal(0, bytes));
    }
}
