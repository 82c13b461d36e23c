namespace Elixir.Planning;

/// <summary>Bytes one rank needs at one memory location, by kind.</summary>
/// <param name="Parameters">Parameter shards in the training type.</param>
/// <param name="Gradients">
/// Gradient storage of its own. Gradients are written into the gathered rCache block and reduce-scattered into the
/// parameter shard, which holds them until the optimizer step, so the chunk system needs none: this stays 0 and is
/// listed so the split is explicit.
/// </param>
/// <param name="OptimizerState">The fp32 master copy of each shard and the optimizer's moments.</param>
/// <param name="RCache">rCache blocks (device only).</param>
public readonly record struct MemoryBreakdown(long Parameters, long Gradients, long OptimizerState, long RCache)
{
    /// <summary>The sum of all kinds.</summary>
    public long Total => Parameters + Gradients + OptimizerState + RCache;
}
