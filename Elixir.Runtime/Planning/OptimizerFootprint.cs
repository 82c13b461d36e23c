using Elixir.Numerics;

namespace Elixir.Planning;

/// <summary>What each shard element costs besides the shard itself: an fp32 master copy and the optimizer's moments.</summary>
internal static class OptimizerFootprint
{
    private const int Fp32Bytes = 4;

    /// <summary>The number of fp32 moments per element: two for Adam, one (momentum) for SGD, none for plain SGD.</summary>
    public static int Moments(OptimizerKind optimizer) => optimizer switch
    {
        OptimizerKind.Adam => 2,
        OptimizerKind.Sgd => 1,
        OptimizerKind.SgdWithoutMomentum => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(optimizer), optimizer, "Not an OptimizerKind."),
    };

    /// <summary>Optimizer-state bytes per shard element: the master copy plus the moments.</summary>
    public static int StateBytes(OptimizerKind optimizer) => Fp32Bytes * (1 + Moments(optimizer));

    /// <summary>
    /// A shard element and its state in units of training-type elements (upstream's <c>os_factor</c>:
    /// 1 + (1 + moments) * fp32-size / element-size).
    /// </summary>
    public static int Factor(PlannerOptions options) =>
        1 + StateBytes(options.Optimizer) / options.TrainingType.SizeOf();
}
