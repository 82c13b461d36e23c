using Elixir.Kernels;

namespace Elixir.Optim;

/// <summary>Adam (L2 penalty added to the gradient) or AdamW (decoupled weight decay) with parameter groups.</summary>
public sealed class AdamOptions : OptimizerOptions<AdamHyperParameters>
{
    /// <summary>Creates the options; out-of-range hyper-parameters throw naming the group.</summary>
    /// <param name="defaults">The hyper-parameters of tensors no group selects.</param>
    /// <param name="decoupled">True for AdamW.</param>
    /// <param name="groups">Groups in priority order.</param>
    public AdamOptions(AdamHyperParameters defaults, bool decoupled, params IEnumerable<ParameterGroup<AdamHyperParameters>> groups)
        : base(defaults, groups)
    {
        Decoupled = decoupled;
        foreach (ParameterGroup<AdamHyperParameters> group in Groups)
        {
            group.HyperParameters.Validate(group.Name);
        }
    }

    /// <summary>True for AdamW.</summary>
    public bool Decoupled { get; }

    /// <summary>The kernel arguments of group <paramref name="group"/> for 1-based <paramref name="step"/>.</summary>
    public AdamParameters KernelParameters(int group, int step, float gradientScale)
    {
        AdamHyperParameters h = Groups[group].HyperParameters;
        return new AdamParameters(h.LearningRate, h.Beta1, h.Beta2, h.Epsilon, h.WeightDecay, Decoupled, step, gradientScale);
    }
}
