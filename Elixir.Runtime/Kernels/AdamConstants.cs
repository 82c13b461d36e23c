namespace Elixir.Kernels;

/// <summary>
/// The fp32 constants of one Adam/AdamW step, each computed as PyTorch's Python code computes it: in double from
/// the double hyper-parameters, rounded to fp32 once when the tensor op takes it. The host and CUDA kernels both
/// take them from here, so they step with the same numbers.
/// </summary>
/// <param name="LerpWeight"><c>1 - b1</c>, the weight of <c>m = lerp(m, g, 1 - b1)</c>.</param>
/// <param name="Beta2"><c>b2</c>.</param>
/// <param name="OneMinusBeta2"><c>1 - b2</c>.</param>
/// <param name="Epsilon"><c>eps</c>.</param>
/// <param name="L2WeightDecay">Adam's <c>wd</c>, added to the gradient as <c>wd * p</c>; 0 for AdamW.</param>
/// <param name="DecoupledDecayFactor">AdamW's <c>1 - lr * wd</c>, multiplying the weight; 1 for Adam.</param>
/// <param name="StepSize"><c>lr / (1 - b1^t)</c>.</param>
/// <param name="BiasCorrection2Sqrt"><c>(1 - b2^t) ** 0.5</c> (a pow, as PyTorch writes it, not a sqrt).</param>
/// <param name="GradientScale">The multiplier applied to each gradient first.</param>
internal readonly record struct AdamConstants(
    float LerpWeight,
    float Beta2,
    float OneMinusBeta2,
    float Epsilon,
    float L2WeightDecay,
    float DecoupledDecayFactor,
    float StepSize,
    float BiasCorrection2Sqrt,
    float GradientScale)
{
    /// <summary>The constants of the step <paramref name="p"/> describes.</summary>
    public static AdamConstants From(in AdamParameters p) => new(
        LerpWeight: (float)(1.0 - p.Beta1),
        Beta2: (float)p.Beta2,
        OneMinusBeta2: (float)(1.0 - p.Beta2),
        Epsilon: (float)p.Epsilon,
        L2WeightDecay: p.Decoupled ? 0f : (float)p.WeightDecay,
        DecoupledDecayFactor: p.Decoupled ? (float)(1.0 - (p.LearningRate * p.WeightDecay)) : 1f,
        StepSize: (float)(p.LearningRate / (1.0 - Math.Pow(p.Beta1, p.Step))),
        BiasCorrection2Sqrt: (float)Math.Pow(1.0 - Math.Pow(p.Beta2, p.Step), 0.5),
        GradientScale: p.GradientScale);
}
