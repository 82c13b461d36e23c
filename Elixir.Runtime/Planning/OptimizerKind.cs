namespace Elixir.Planning;

/// <summary>The optimizer whose state the plan makes room for.</summary>
public enum OptimizerKind
{
    /// <summary>Adam/AdamW: two fp32 moments per element.</summary>
    Adam = 0,
    /// <summary>SGD with momentum: one fp32 momentum buffer per element.</summary>
    Sgd = 1,

    /// <summary>SGD with momentum 0 in every group: no buffer besides the fp32 master.</summary>
    SgdWithoutMomentum = 2,
}
