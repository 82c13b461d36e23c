using Elixir.Engine;

namespace Elixir.Cli.Training;

/// <summary>One optimizer step as rank 0 saw it.</summary>
/// <param name="Step">The 1-based step number.</param>
/// <param name="Loss">The mean loss over every rank's micro-batches of the step.</param>
/// <param name="Result">What the engine's step did (skipped, loss scale, gradient norm, clipped).</param>
/// <param name="Elapsed">Training time since the first step of this run began.</param>
/// <param name="Tokens">Tokens trained on (all ranks) since the first step of this run.</param>
/// <param name="DeviceBytes">Device bytes rank 0's backend holds.</param>
/// <param name="HostBytes">Host bytes rank 0's backend holds.</param>
internal readonly record struct StepReport(int Step, float Loss, StepResult Result, TimeSpan Elapsed, long Tokens, long DeviceBytes, long HostBytes);
