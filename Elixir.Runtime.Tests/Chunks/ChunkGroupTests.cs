using Elixir.Chunks;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Tests.Chunks;

/// <summary>The chunk group's behaviour, run by <see cref="ChunkGroupHostTests"/> on host ranks and by <see cref="ChunkGroupGpuTests"/> on GPUs.</summary>
public abstract class ChunkGroupTests
{
    private protected abstract RankEnvironment CreateEnvironment();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void AllocateChunks_MapTensors_AndDisposeFreesEverything(int worldSize)
    {
        var environment = CreateEnvironment();
        environment.Run(worldSize, context =>
        {
            var layout = new LayoutInstance<GroupLayout>();
            var (binding, counter) = (layout.Binding, layout.Counter);
            var pool = new RCache(context.Backend, "rc", 16, DType.Float32, 1, [(8, DType.Float32)]);
            using (var group = new ChunkGroup(pool, context.Backend, context.Communicator, context.Kernels))
            {
                var first = group.AllocateChunk([(binding, counter, 0), (binding, counter, 1)], 16, DType.Float32, MemoryLocation.Device);
                var second = group.AllocateChunk([(binding, counter, 2), (binding, counter, 3)], 16, DType.Float32, MemoryLocation.Host);
                var fused = group.AllocateChunk([(binding, counter, 4)], 8, DType.Float32, MemoryLocation.Device, fused: true);

                Assert.Same(second, group.ChunkOf(counter, 3));
                Assert.Equal([first, second, fused], group.TensorsToChunks([(counter, 4), (counter, 2), (counter, 0), (counter, 3)]));
                Assert.True(group.RCacheEnoughCheck(first));
                Assert.True(group.Gather(first));
                Assert.Equal(first.Block!.Payload.Address + 6 * sizeof(float), binding.AddressOf(1));
                context.Write<float>(first.Block.Payload.Slice(binding.AddressOf(1) - first.Block.Payload.Address, 6 * sizeof(float)), [2f, 2f, 2f, 2f, 2f, 2f]);
                Assert.Throws<InvalidOperationException>(() => layout.View.T2.Length);
                Assert.False(group.RCacheEnoughCheck(second));
                Assert.True(group.RCacheEnoughCheck(fused));
                Assert.Throws<RCacheException>(() => group.Gather(second));
                Assert.False(second.IsGathered);
                Assert.True(group.Gather(fused));
                Assert.Equal([first], group.GatheredPublicChunks);
                Assert.Equal([fused], group.GatheredFusedChunks);

                var missing = Assert.Throws<KeyNotFoundException>(() => group.ChunkOf(GroupLayout.CreateStateCounter(), 1));
                Assert.Contains("'T1'", missing.Message);
            }
        });
        Assert.Equal(0, environment.LiveBuffers);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void OpenAndAppend_RejectMisfitChunksAndTensorsPlacedTwice(int worldSize)
    {
        var environment = CreateEnvironment();
        environment.Run(worldSize, context =>
        {
            var layout = new LayoutInstance<TooBigLayout>();
            var (binding, counter) = (layout.Binding, layout.Counter);
            using var group = new ChunkGroup(new RCache(context.Backend, "rc", 16, DType.Float32, 1), context.Backend, context.Communicator, context.Kernels);
            var misfit = Assert.Throws<ArgumentException>(() => group.OpenChunk(32, DType.Float32, MemoryLocation.Device));
            Assert.Contains("32 x Float32", misfit.Message);
            Assert.Contains("16 x Float32", misfit.Message);

            var chunk = group.AllocateChunk([(binding, counter, 0)], 16, DType.Float32, MemoryLocation.Device);
            using var again = group.OpenChunk(16, DType.Float32, MemoryLocation.Device);
            Assert.Throws<IllegalStateTransitionException>(() => again.Append(binding, counter, 0));
            Assert.Equal(0, again.TensorCount);
            Assert.Same(chunk, group.ChunkOf(counter, 0));
            Assert.Single(group.Chunks);
        });
        Assert.Equal(0, environment.LiveBuffers);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void DeferredReduce_KeepsTheBlockUntilFinished(int worldSize)
    {
        var environment = CreateEnvironment();
        environment.Run(worldSize, context =>
        {
            using var rank = new RankSetup<float>(context, publicBlocks: 1);
            rank.Chunk.L2NormEnabled = true;
            rank.Group.Gather(rank.Chunk);
            rank.MoveAll(TensorState.Compute, TensorState.HoldAfterBackward);
            rank.WriteGradients((r, t, i) => 1f);
            rank.MoveAll(TensorState.ReadyForReduce);
            var block = rank.Group.StartReduce(rank.Chunk);
            Assert.NotNull(block);
            Assert.Equal(0, rank.Group.Pool.FreePublicCount);
            Assert.False(rank.Group.IsGathered(rank.Chunk));
            rank.Group.FinishReduce(rank.Chunk);
            Assert.Equal(1, rank.Group.Pool.FreePublicCount);
            Assert.Equal(rank.Chunk.Shard.ValidCount, rank.Chunk.L2NormSquared);
        });
        Assert.Equal(0, environment.LiveBuffers);
    }
}
