namespace Elixir.Optim;

/// <summary>
/// One parameter group's Adam/AdamW hyper-parameters (PyTorch's names and defaults). They are doubles, as Python
/// floats are: the update's constants (<c>1 - beta2</c>, the bias corrections, the step size) are computed from
/// these values in double and rounded to fp32 once, so the moments match <c>torch.optim.Adam</c>'s to fp32 rounding.
/// </summary>
/// <param name="LearningRate">The step size.</param>
/// <param name="Beta1">Decay of the first moment.</param>
/// <param name="Beta2">Decay of the second moment.</param>
/// <param name="Epsilon">Added to the denominator.</param>
/// <param name="WeightDecay">L2 penalty (Adam) or decoupled decay (AdamW).</param>
public sealed record AdamHyperParameters(
    double LearningRate = 1e-3,
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    double Epsilon = 1e-8,
    double WeightDecay = 0)
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
