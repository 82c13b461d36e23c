namespace Elixir.Optim;

/// <summary>One parameter group's SGD hyper-parameters (PyTorch's names and defaults).</summary>
/// <param name="LearningRate">The step size.</param>
/// <param name="Momentum">Momentum factor; 0 disables the momentum buffer.</param>
/// <param name="Dampening">Dampening of the momentum.</param>
/// <param name="WeightDecay">L2 penalty added to the gradient.</param>
/// <param name="Nesterov">Nesterov momentum (needs momentum and no dampening, as in PyTorch).</param>
public sealed record SgdHyperParameters(
    float LearningRate = 1e-3f,
    float Momentum = 0f,
    float Dampening = 0f,
    float WeightDecay = 0f,
    bool Nesterov = false)
{
    /// <summary>Throws naming <paramref name="group"/> and the value when a hyper-parameter is out of range.</summary>
    internal void Validate(string group)
    {
        OptimizerChecks.NonNegative(group, nameof(LearningRate), LearningRate);
        OptimizerChecks.NonNegative(group, nameof(Momentum), Momentum);
        OptimizerChecks.NonNegative(group, nameof(WeightDecay), WeightDecay);
        if (Nesterov && (Momentum <= 0f || Dampening != 0f))
        {
            throw new ArgumentException(
                $"Parameter group '{group}': Nesterov momentum needs Momentum > 0 and Dampening = 0 " +
                $"(got Momentum = {Momentum}, Dampening = {Dampening}).");
        }
    }
}
