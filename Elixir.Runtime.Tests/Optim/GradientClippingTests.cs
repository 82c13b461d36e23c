using Elixir.Optim;

namespace Elixir.Runtime.Tests.Optim;

public sealed class GradientClippingTests
{
    // Unscaled gradient (3, 4) has norm 5; with loss scale 4 the stored gradient is (12, 16), sum of squares 400.
    private const double ScaledSquaredNorm = 400;

    [Fact]
    public void NormAboveTheMaximum_FoldsTheClipCoefficientIntoTheScale()
    {
        double combined = GradientClipping.CombinedScale(ScaledSquaredNorm, lossScale: 4f, maxNorm: 1f);

        // clip = (20 / 4 + 1e-6) / 1 = 5.000001; combined = 4 · 5.000001.
        Assert.Equal(20.000004, combined, 1e-12);
        float scale = GradientClipping.GradientScale(ScaledSquaredNorm, 4f, 1f);
        Assert.Equal((float)(1 / 20.000004), scale);
        // The clipped unscaled gradient has norm ≈ maxNorm.
        Assert.Equal(1.0, Math.Sqrt(Math.Pow(12 * scale, 2) + Math.Pow(16 * scale, 2)), 1e-6);
    }

    [Theory]
    [InlineData(10f)]
    [InlineData(5f)] // clip = (5 + 1e-6) / 5 > 1 by a hair: still clipped
    [InlineData(0f)] // clipping off
    public void NormWithinTheMaximum_LeavesOnlyTheLossScale(float maxNorm)
    {
        double combined = GradientClipping.CombinedScale(ScaledSquaredNorm, lossScale: 4f, maxNorm);

        double expected = maxNorm == 5f ? 4 * (5 + 1e-6) / 5 : 4;
        Assert.Equal(expected, combined, 1e-12);
    }

    [Fact]
    public void PowerOfTwoScaleWithoutClipping_IsAnExactReciprocal()
    {
        Assert.Equal(1f / 32768f, GradientClipping.GradientScale(1e30, 32768f, 0f));
    }

    [Fact]
    public void BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.CombinedScale(1, 0f, 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.CombinedScale(1, 1f, -1f));
    }
}
