namespace Elixir.Optim;

/// <summary>
/// Dynamic loss scaling settings; the defaults are those of Elixir's optimizer wrapper. A null bound disables
/// that clamp, as in ColossalAI's <c>DynamicGradScaler</c>.
/// </summary>
/// <param name="InitialScale">The first loss scale.</param>
/// <param name="GrowthFactor">Multiplies the scale after <paramref name="GrowthInterval"/> steps without overflow (&gt; 1).</param>
/// <param name="BackoffFactor">Multiplies the scale on a backed-off overflow (in (0, 1)).</param>
/// <param name="GrowthInterval">Overflow-free steps before the scale grows.</param>
/// <param name="Hysteresis">Overflows (since the last growth) needed before the scale backs off.</param>
/// <param name="MinScale">The smallest scale, or null for none.</param>
/// <param name="MaxScale">The largest scale, or null for none.</param>
public sealed record LossScalerOptions(
    float InitialScale = 32768f,
    float GrowthFactor = 2f,
    float BackoffFactor = 0.5f,
    int GrowthInterval = 1000,
    int Hysteresis = 2,
    float? MinScale = 1f,
    float? MaxScale = 16777216f);
