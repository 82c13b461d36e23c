using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Planning;

/// <summary>
/// Splits the device budget between rCache blocks and device-resident shards (upstream
/// <c>configure_rcache_size</c>): public shards first, then fused ones, each kept on the device while its shard and
/// optimizer state fit, offloaded otherwise; when shards take priority, leftover room becomes extra blocks.
/// </summary>
internal static class OptimalPlacement
{
    private const int OptimizerElementBytes = 4;
    private const int MinimumCacheBlocks = 4;
    private const int OverlapBlocks = 2;

    /// <summary>Fills <paramref name="locations"/> (fused chunks first) and returns the final public block count.</summary>
    public static int Place(PlannerOptions options, long[] privateSizes, int publicCount, long chunkSize, int publicBlocks,
        long budgetElements, MemoryLocation[] locations)
    {
        int worldSize = options.WorldSize;
        int factor = OptimizerFootprint.Factor(options);
        bool rcacheFirst = RCachePriority.PrefersRCache(worldSize, factor, options.TrainingType.SizeOf(), OptimizerElementBytes);
        long left = budgetElements;
        int cacheBlocks = publicBlocks;
        if (!rcacheFirst)
        {
            // Upstream sizes this from activation-checkpoint spans: max(4, ceil(span / size) + 1); there are none here.
            cacheBlocks = Math.Min(MinimumCacheBlocks + (options.Prefetch ? OverlapBlocks : 0), publicBlocks);
        }

        left -= cacheBlocks * chunkSize;
        for (int c = 0; c < publicCount; c++)
        {
            locations[privateSizes.Length + c] = Take(ref left, factor * chunkSize / worldSize);
        }

        for (int k = 0; k < privateSizes.Length; k++)
        {
            locations[k] = Take(ref left, factor * privateSizes[k] / worldSize);
        }

        if (rcacheFirst || chunkSize == 0)
        {
            return publicBlocks;
        }

        long extra = Math.Min((long)Math.Floor((double)left / chunkSize), publicBlocks - cacheBlocks);
        return cacheBlocks + (int)extra;
    }

    private static MemoryLocation Take(ref long left, long elements)
    {
        if (left >= elements)
        {
            left -= elements;
            return MemoryLocation.Device;
        }

        return MemoryLocation.Host;
    }
}
