namespace Elixir.Engine;

/// <summary>What one optimizer step did.</summary>
/// <param name="Skipped">True when a gradient overflowed on some rank and every rank skipped the update.</param>
/// <param name="Step">The number of updates applied so far (skipped steps do not count).</param>
/// <param name="LossScale">The loss scale the step's gradients carried.</param>
/// <param name="GradientNorm">The global L2 norm of the averaged, unscaled gradient; NaN when skipped.</param>
/// <param name="Clipped">True when the gradient was scaled down to the maximum norm.</param>
public readonly record struct StepResult(bool Skipped, int Step, float LossScale, double GradientNorm, bool Clipped);
