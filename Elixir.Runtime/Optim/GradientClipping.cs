using Elixir.Collectives;

namespace Elixir.Optim;

/// <summary>
/// Global L2-norm clipping folded into the gradient unscaling, as Elixir's optimizer wrapper does it: the gradients
/// still carry the loss scale <c>s</c>, their global norm is <c>n = sqrt(Σ squares)</c>, the clip coefficient is
/// <c>c = (n / s + 1e-6) / maxNorm</c>, and gradients are divided by <c>s·c</c> when <c>c &gt; 1</c>, by <c>s</c> otherwise.
/// </summary>
public static class GradientClipping
{
    /// <summary>The 1e-6 the original adds to the unscaled norm before dividing by the maximum norm.</summary>
    public const double NormEpsilon = 1e-6;

    /// <summary>
    /// Sums every rank's squared shard norm (the sum of squares of its scaled gradient shards); every rank calls it.
    /// </summary>
    public static double GlobalSquaredNorm(ICommunicator communicator, double localSquaredNorm)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        return communicator.AllReduce(localSquaredNorm, ReduceOp.Sum);
    }

    /// <summary>
    /// What gradients are divided by: the loss scale, times the clip coefficient when clipping is on
    /// (<paramref name="maxNorm"/> &gt; 0) and the unscaled norm exceeds it.
    /// </summary>
    /// <param name="globalSquaredNorm">The all-reduced sum of squares of the scaled gradients.</param>
    /// <param name="lossScale">The loss scale the gradients carry (before this step's scaler update).</param>
    /// <param name="maxNorm">The largest allowed global norm; 0 disables clipping.</param>
    public static double CombinedScale(double globalSquaredNorm, float lossScale, float maxNorm)
    {
        if (!(lossScale > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(lossScale), lossScale, "The loss scale must be > 0.");
        }

        if (!(maxNorm >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The maximum norm must be ≥ 0 (0 disables clipping).");
        }

        double combined = lossScale;
        if (maxNorm > 0f)
        {
            double clip = (Math.Sqrt(globalSquaredNorm) / lossScale + NormEpsilon) / maxNorm;
            if (clip > 1)
            {
                combined = clip * lossScale;
            }
        }

        return combined;
    }

    /// <summary>
    /// The kernels' <c>GradientScale</c>: the reciprocal of <see cref="CombinedScale"/>, rounded once to fp32. Gradients
    /// are then multiplied, not divided; for a power-of-two loss scale without clipping the two are identical.
    /// </summary>
    public static float GradientScale(double globalSquaredNorm, float lossScale, float maxNorm) =>
        (float)(1.0 / CombinedScale(globalSquaredNorm, lossScale, maxNorm));
}
