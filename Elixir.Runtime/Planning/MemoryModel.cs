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

        // Reduced gradients land in the parameter shard; only accumulation over micro-batches keeps them apart,
        // in an fp32 buffer beside each shard.
        int gradientBytes = options.AccumulationSteps > 1 ? sizeof(float) : 0;
        return new RankMemory(
            new MemoryBreakdown(deviceShard * elementBytes, deviceShard * gradientBytes, deviceShard * stateBytes, rcache.TotalElements * elementBytes),
            new MemoryBreakdown(hostShard * elementBytes, hostShard * gradientBytes, hostShard * stateBytes, 0));
    }
}
