namespace Elixir.Kernels;

/// <summary>
/// One Adam/AdamW update's hyper-parameters. <see cref="GradientScale"/> multiplies every gradient before use
/// (the inverse loss scale times the clipping coefficient), so unscaling and clipping cost no extra pass. The
/// hyper-parameters are doubles (Python floats): kernels derive their fp32 constants from them in double, as
/// <c>torch.optim.Adam</c> does.
/// </summary>
/// <param name="LearningRate">The step size.</param>
/// <param name="Beta1">Decay of the first moment.</param>
/// <param name="Beta2">Decay of the second moment.</param>
/// <param name="Epsilon">Added to the denominator.</param>
/// <param name="WeightDecay">L2 penalty (Adam) or decoupled decay (AdamW).</param>
/// <param name="Decoupled">True for AdamW: decay applied to the weight, not added to the gradient.</param>
/// <param name="Step">The 1-based step number, for bias correction.</param>
/// <param name="GradientScale">Multiplier applied to each gradient element.</param>
public readonly record struct AdamParameters(
    double LearningRate,
    double Beta1,
    double Beta2,
    double Epsilon,
    double WeightDecay,
    bool Decoupled,
    int Step,
    float GradientScale);

/// <summary>One SGD-with-momentum update's hyper-parameters (PyTorch's semantics).</summary>
/// <param name="LearningRate">The step size.</param>
/// <param name="Momentum">Momentum factor; 0 disables the momentum buffer.</param>
/// <param name="Dampening">Dampening of the momentum.</param>
/// <param name="WeightDecay">L2 penalty added to the gradient.</param>
/// <param name="Nesterov">Nesterov momentum.</param>
/// <param name="FirstStep">True on the first step: the momentum buffer is initialised to the gradient.</param>
/// <param name="GradientScale">Multiplier applied to each gradient element.</param>
public readonly record struct SgdParameters(
    float LearningRate,
    float Momentum,
    float Dampening,
    float WeightDecay,
    bool Nesterov,
    bool FirstStep,
    float GradientScale);
