using Elixir.Chunks;
using Elixir.Layout;

namespace Elixir.Tests.Chunks;

/// <summary>
/// The overflow flag and norm a reduce takes must be used and cleared before the chunk is reduced again: a second
/// reduce in between raises (upstream's <c>assert self.l2_norm is None</c>) and changes nothing.
/// </summary>
public sealed class ChunkReduceInfoTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void ASecondReduce_WithoutResetReduceInfo_Raises_AndLeavesTheChunkAsItWas(int worldSize)
    {
        var environment = new HostRankEnvironment();
        environment.Run(worldSize, context =>
        {
            using var rank = new RankSetup<float>(context);
            rank.Chunk.L2NormEnabled = true;
            Reduce(rank);
            double norm = rank.Chunk.L2NormSquared!.Value;

            rank.Group.Gather(rank.Chunk);
            rank.MoveAll(TensorState.Compute, TensorState.HoldAfterBackward);
            rank.WriteGradients((_, _, _) => 1f);
            rank.MoveAll(TensorState.ReadyForReduce);
            var shardBefore = context.Read<float>(rank.Chunk.ShardPayload);

            var error = Assert.Throws<ChunkStateException>(() => rank.Group.Reduce(rank.Chunk));

            Assert.Contains($"Chunk #{rank.Chunk.Id} cannot StartReduce: the overflow flag (False) and L2 norm", error.Message);
            Assert.Contains("call ResetReduceInfo", error.Message);
            Assert.True(rank.Chunk.IsGathered);
            Assert.Equal(RankSetup<float>.Counts.Length, rank.Chunk.CountIn(TensorState.ReadyForReduce));
            Assert.Equal(norm, rank.Chunk.L2NormSquared);
            Assert.Equal(shardBefore, context.Read<float>(rank.Chunk.ShardPayload));

            rank.Chunk.ResetReduceInfo();
            rank.Group.Reduce(rank.Chunk);
            Assert.NotNull(rank.Chunk.L2NormSquared);
        });
        Assert.Equal(0, environment.LiveBuffers);
    }

    private static void Reduce(RankSetup<float> rank)
    {
        rank.Group.Gather(rank.Chunk);
        rank.MoveAll(TensorState.Compute, TensorState.HoldAfterBackward);
        rank.WriteGradients(TestValues.Gradient);
        rank.MoveAll(TensorState.ReadyForReduce);
        rank.Group.Reduce(rank.Chunk);
    }
}
