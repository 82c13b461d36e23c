namespace Elixir.Planning;

/// <summary>
/// Upstream's rule for whether spare device memory is better spent on rCache blocks than on device-resident
/// optimizer shards, from its measured transfer bandwidths and update speeds (<c>rcache_prioirity_check</c>).
/// </summary>
internal static class RCachePriority
{
    /// <summary>True when rCache blocks come first.</summary>
    /// <param name="worldSize">The number of ranks.</param>
    /// <param name="optimizerFactor">Per-shard-element footprint of a shard and its optimizer state, in parameter elements.</param>
    /// <param name="parameterBytes">Bytes per parameter element.</param>
    /// <param name="optimizerBytes">Bytes per optimizer-state element.</param>
    public static bool PrefersRCache(int worldSize, int optimizerFactor, int parameterBytes, int optimizerBytes)
    {
        double n = worldSize;
        double hostToDevice = 16.3 * n + 8.7;
        double deviceToHost = 15.8 * n + 2.3;
        double deviceSpeed = 50 * n;
        double hostSpeed = 1.66 * Math.Log(n) + 5.15;
        double rcacheGain = parameterBytes / hostToDevice + parameterBytes / deviceToHost;
        double shardGain = n / optimizerFactor
            * (optimizerBytes / hostToDevice + rcacheGain + parameterBytes / deviceToHost + 1.0 / hostSpeed - 1.0 / deviceSpeed);
        return rcacheGain > shardGain;
    }
}
