namespace Elixir.Cli.Training;

/// <summary>What a finished run reports.</summary>
/// <param name="FirstStep">The 0-based step the run started from.</param>
/// <param name="Losses">The mean loss of each step this run applied (skipped steps left out), in order.</param>
/// <param name="Skipped">Steps skipped for a gradient overflow.</param>
/// <param name="LossScale">The loss scale at the end (1 without loss scaling).</param>
/// <param name="Elapsed">Training time (engine construction excluded).</param>
/// <param name="Tokens">Tokens trained on over all ranks.</param>
/// <param name="Parameters">The full fp32 parameters by name, when the run was asked to gather them.</param>
/// <param name="Plan">The plan rank 0's engine was built from.</param>
/// <param name="Memory">The peaks rank 0's backend measured over the whole run (construction, training, saves).</param>
/// <param name="FirstStepElapsed">Training time of the first step alone.</param>
internal sealed record TrainingOutcome(
    int FirstStep, float[] Losses, int Skipped, float LossScale, TimeSpan Elapsed, long Tokens, IReadOnlyDictionary<string, float[]>? Parameters,
    Elixir.Planning.Plan Plan, MeasuredMemory Memory, TimeSpan FirstStepElapsed = default)
{
    /// <summary>Tokens per second over the whole run.</summary>
    public double TokensPerSecond => Elapsed.TotalSeconds > 0 ? Tokens / Elapsed.TotalSeconds : 0;

    /// <summary>
    /// Tokens per second after the first step, which also loads kernels, lets cuBLAS pick its algorithms and, with
    /// prefetch, records the pass order: the steady rate a throughput comparison wants. Null for a single step.
    /// </summary>
    public double? TokensPerSecondAfterFirstStep
    {
        get
        {
            int steps = Losses.Length + Skipped;
            double seconds = (Elapsed - FirstStepElapsed).TotalSeconds;
            return steps > 1 && seconds > 0 ? Tokens * (steps - 1.0) / steps / seconds : null;
        }
    }
}
