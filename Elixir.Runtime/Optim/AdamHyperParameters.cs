namespace Elixir.Optim;

/// <summary>One parameter group's Adam/AdamW hyper-parameters (PyTorch's names and defaults).</summary>
/// <param name="LearningRate">The step size.</param>
/// <param name="Beta1">Decay of the first moment.</param>
/// <param name="Beta2">Decay of the second moment.</param>
/// <param name="Epsilon">Added to the denominator.</param>
/// <param name="WeightDecay">L2 penalty (Adam) or decoupled decay (AdamW).</param>
public sealed record AdamHyperParameters(
    float LearningRate = 1e-3f,
    float Beta1 = 0.9f,
    float Beta2 = 0.999f,
    float Epsilon = 1e-8f,
    float WeightDecay = 0f)
{
    /// <summary>Throws naming <paramref name="group"/> and the value when a hyper-parameter is out of range.</summary>
    internal void Validate(string group)
    {
        OptimizerChecks.NonNegative(group, nameof(LearningRate), LearningRate);
        OptimizerChecks.InUnitInterval(group, nameof(Beta1), Beta1);
        OptimizerChecks.InUnitInterval(group, nameof(Beta2), Beta2);
        OptimizerChecks.NonNegative(group, nameof(Epsilon), Epsilon);
        OptimizerChecks.NonNegative(group, nameof(WeightDecay), WeightDecay);
    }
}
