using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Planning;

/// <summary>The bytes each rank needs for a set of chunks and an rCache.</summary>
internal static class MemoryModel
{
    public static RankMemory PerRank(PlannerOptions options, IReadOnlyList<ChunkPlan> chunks, RCachePlan rcache)
    {
        int elementBytes = options.TrainingType.SizeOf();
        int stateBytes = OptimizerFootprint.StateBytes(options.Optimizer);
        long deviceShard = 0;
        long hostShard = 0;
        foreach (var chunk in chunks)
        {
            long shard = chunk.Size / options.WorldSize;
            if (chunk.ShardLocation == MemoryLocation.Device)
            {
                deviceShard += shard;
            }
            else
            {
                hostShard += shard;
            }
        }

        return new RankMemory(
            new MemoryBreakdown(deviceShard * elementBytes, 0, deviceShard * stateBytes, rcache.TotalElements * elementBytes),
            new MemoryBreakdown(hostShard * elementBytes, 0, hostShard * stateBytes, 0));
    }
}
