namespace Elixir.Optim;

/// <summary>Everything a <see cref="DynamicLossScaler"/> needs to resume exactly (saved with checkpoints).</summary>
/// <param name="Scale">The current loss scale.</param>
/// <param name="GrowthStep">Overflow-free steps since the last growth or overflow.</param>
/// <param name="HysteresisStep">Overflows since the last growth.</param>
public readonly record struct LossScalerState(float Scale, int GrowthStep, int HysteresisStep);
