using Elixir.Kernels.Host;
using Elixir.Numerics;
using Elixir.Optim;
using Elixir.Runtime.Tests.Kernels;

namespace Elixir.Runtime.Tests.Optim;

public sealed class MultiRankReductionTests
{
    // The scaled gradient (loss scale 8) of an unscaled gradient whose squares sum to 3² + 4² + 12² = 169 (norm 13),
    // padded with zeros to 16 elements so it splits evenly over 1, 2 and 4 ranks.
    private static readonly float[] ScaledGradient = [24f, 0f, 0f, 0f, 0f, 32f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 96f];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void ShardNorms_CombineIntoTheSameGradientScaleOnEveryRank(int worldSize)
    {
        var kernels = new HostKernels();
        int shard = ScaledGradient.Length / worldSize;

        float[] scales = ScalarAllReduceCommunicator.Run(worldSize, communicator =>
        {
            using var buffer = TestHostBuffer.Of<float>(ScaledGradient.AsSpan(communicator.Rank * shard, shard));
            double local = kernels.SumOfSquares(buffer.All, DType.Float32);
            double global = GradientClipping.GlobalSquaredNorm(communicator, local);
            return GradientClipping.GradientScale(global, lossScale: 8f, maxNorm: 6.5f);
        });

        // norm 13 > 6.5: clip = (104 / 8 + 1e-6) / 6.5 = 2 + 1e-6 / 6.5; gradients are divided by 8 · clip.
        float expected = (float)(1 / (8 * (2 + 1e-6 / 6.5)));
        Assert.All(scales, s => Assert.Equal(expected, s));
    }

    [Theory]
    [InlineData(1, -1)]
    [InlineData(2, 1)]
    [InlineData(4, 1)]
    [InlineData(4, -1)]
    public void OverflowOnOneRank_MakesEveryRankSkip(int worldSize, int overflowingRank)
    {
        var options = new LossScalerOptions(InitialScale: 1024f, Hysteresis: 1);

        (bool Skip, float Scale)[] outcomes = ScalarAllReduceCommunicator.Run(worldSize, communicator =>
        {
            var scaler = new DynamicLossScaler(options);
            bool skip = scaler.Update(OverflowVote.AnyRank(communicator, communicator.Rank == overflowingRank));
            return (skip, scaler.Scale);
        });

        bool overflow = overflowingRank >= 0;
        Assert.All(outcomes, o => Assert.Equal((overflow, overflow ? 512f : 1024f), o));
    }
}
