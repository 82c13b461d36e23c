using Elixir.Kernels;

namespace Elixir.Optim;

/// <summary>SGD with optional momentum, dampening, Nesterov and weight decay, with parameter groups.</summary>
public sealed class SgdOptions : OptimizerOptions<SgdHyperParameters>
{
    /// <summary>Creates the options; out-of-range hyper-parameters throw naming the group.</summary>
    /// <param name="defaults">The hyper-parameters of tensors no group selects.</param>
    /// <param name="groups">Groups in priority order.</param>
    public SgdOptions(SgdHyperParameters defaults, params IEnumerable<ParameterGroup<SgdHyperParameters>> groups)
        : base(defaults, groups)
    {
        foreach (ParameterGroup<SgdHyperParameters> group in Groups)
        {
            group.HyperParameters.Validate(group.Name);
        }
    }

    /// <summary>True when any group keeps a momentum buffer (the engine allocates one per shard).</summary>
    public bool NeedsMomentumBuffer => Groups.Any(g => g.HyperParameters.Momentum != 0f);

    /// <summary>The kernel arguments of group <paramref name="group"/>; <paramref name="firstStep"/> initialises momentum.</summary>
    public SgdParameters KernelParameters(int group, bool firstStep, float gradientScale)
    {
        SgdHyperParameters h = Groups[group].HyperParameters;
        return new SgdParameters(h.LearningRate, h.Momentum, h.Dampening, h.WeightDecay, h.Nesterov, firstStep, gradientScale);
    }
}
