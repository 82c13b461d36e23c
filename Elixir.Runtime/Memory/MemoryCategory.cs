namespace Elixir.Memory;

/// <summary>
/// What an allocation holds. Backends count live and peak bytes per category and location, and the planner
/// predicts the same categories, so a plan and a run can be compared line by line.
/// </summary>
public enum MemoryCategory : byte
{
    /// <summary>Each rank's shard of the parameter chunks, in the training type.</summary>
    ParameterShards = 0,

    /// <summary>The fp32 master shards and the optimizer's moments.</summary>
    OptimizerState = 1,

    /// <summary>Gradient accumulators, the fp32 gradient scratch of a scope and the persistent gradients of multi-use tensors.</summary>
    Gradients = 2,

    /// <summary>The rCache's public and private blocks, where chunks are gathered.</summary>
    RCache = 3,

    /// <summary>fp32 staging of 16-bit parameters for compute, and kernel scratch.</summary>
    Staging = 4,

    /// <summary>Buffers collectives work in: the fp32 reduce workspace, collective scalars.</summary>
    Communication = 5,

    /// <summary>Short-lived buffers of construction and checkpoint I/O (initial values, build buffers, gathers for saving).</summary>
    TransientIO = 6,

    /// <summary>Anything allocated without a category (user code, tests).</summary>
    Other = 7,
}

/// <summary>Names and the list of <see cref="MemoryCategory"/> values.</summary>
public static class MemoryCategories
{
    /// <summary>The number of categories.</summary>
    public const int Count = 8;

    /// <summary>Every category, in enum order.</summary>
    public static ReadOnlySpan<MemoryCategory> All =>
    [
        MemoryCategory.ParameterShards, MemoryCategory.OptimizerState, MemoryCategory.Gradients, MemoryCategory.RCache,
        MemoryCategory.Staging, MemoryCategory.Communication, MemoryCategory.TransientIO, MemoryCategory.Other,
    ];

    /// <summary>The name JSON output and tables use (<c>parameterShards</c>, <c>rcache</c>, ...).</summary>
    public static string JsonName(this MemoryCategory category) => category switch
    {
        MemoryCategory.ParameterShards => "parameterShards",
        MemoryCategory.OptimizerState => "optimizerState",
        MemoryCategory.Gradients => "gradients",
        MemoryCategory.RCache => "rcache",
        MemoryCategory.Staging => "staging",
        MemoryCategory.Communication => "communication",
        MemoryCategory.TransientIO => "transientIO",
        _ => "other",
    };

    /// <summary>The name people read in tables (<c>parameter shards</c>, <c>rCache</c>, ...).</summary>
    public static string DisplayName(this MemoryCategory category) => category switch
    {
        MemoryCategory.ParameterShards => "parameter shards",
        MemoryCategory.OptimizerState => "master + optimizer state",
        MemoryCategory.Gradients => "gradients",
        MemoryCategory.RCache => "rCache",
        MemoryCategory.Staging => "staging/scratch",
        MemoryCategory.Communication => "communication",
        MemoryCategory.TransientIO => "transient I/O",
        _ => "other",
    };
}
