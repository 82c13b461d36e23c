using Elixir.Numerics;

namespace Elixir.Planning;

/// <summary>What the planner plans for.</summary>
public sealed record PlannerOptions
{
    /// <summary>The number of ranks chunks are sharded over; chunk sizes are multiples of it.</summary>
    public int WorldSize { get; init; } = 1;

    /// <summary>The training type every parameter is held in.</summary>
    public DType TrainingType { get; init; } = DType.Float32;

    /// <summary>Device memory per rank in bytes; null for no limit (only the minimum-waste search allows that).</summary>
    public long? DeviceMemoryBytes { get; init; }

    /// <summary>The optimizer whose state is planned.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>The chunk-size search.</summary>
    public SearchKind Search { get; init; } = SearchKind.MinimumWaste;

    /// <summary>Prefetch the next chunk while computing (more rCache blocks; overlap in the optimal search).</summary>
    public bool Prefetch { get; init; }

    /// <summary>Keep every shard in host memory (minimum-waste search; the optimal search places shards itself).</summary>
    public bool Offload { get; init; }

    /// <summary>
    /// A public chunk size in elements to use instead of the search (minimum-waste search only; rounded up to the
    /// world size). Null: searched.
    /// </summary>
    public long? ChunkSize { get; init; }

    /// <summary>
    /// The number of public rCache blocks instead of the planner's count (minimum-waste search only; at least the
    /// most chunks one module uses, capped by the chunk count). Null: planned.
    /// </summary>
    public int? RCacheBlocks { get; init; }

    /// <summary>
    /// Micro-batches per optimizer step. Above 1 each rank keeps an fp32 gradient accumulator per shard, counted
    /// under gradients.
    /// </summary>
    public int AccumulationSteps { get; init; } = 1;

    /// <summary>
    /// Reduce-scatter fp16/bf16 gradients in fp32: each rank keeps an fp32 workspace of the largest chunk, counted
    /// under communication.
    /// </summary>
    public bool ReduceInFp32 { get; init; }

    /// <summary>
    /// Device memory per rank the model itself needs beside the engine (activations and workspace for its batch);
    /// the budget search subtracts it before placing chunks.
    /// </summary>
    public long WorkingMemoryBytes { get; init; }

    internal void Validate()
    {
        if (WorkingMemoryBytes < 0)
        {
            throw new ArgumentException($"Working memory {WorkingMemoryBytes} bytes is negative.");
        }

        if (AccumulationSteps < 1)
        {
            throw new ArgumentException($"Accumulation steps {AccumulationSteps} must be at least 1.");
        }

        if (ChunkSize is <= 0)
        {
            throw new ArgumentException($"Chunk size {ChunkSize} is not positive.");
        }

        if ((ChunkSize is not null || RCacheBlocks is not null) && Search == SearchKind.Optimal)
        {
            throw new ArgumentException("A fixed chunk size or rCache block count applies to the minimum-waste search only; the optimal search chooses both.");
        }

        if (WorldSize <= 0)
        {
            throw new ArgumentException($"World size {WorldSize} is not positive.");
        }

        if (DeviceMemoryBytes is <= 0)
        {
            throw new ArgumentException($"Device memory budget {DeviceMemoryBytes} bytes is not positive.");
        }

        if (Search == SearchKind.Optimal && DeviceMemoryBytes is null)
        {
            throw new ArgumentException("The optimal search needs a device memory budget.");
        }

        if (Search == SearchKind.Optimal && Offload)
        {
            throw new ArgumentException("The optimal search places shards on the device or host itself; offload applies to the minimum-waste search only.");
        }

        _ = TrainingType.SizeOf();
    }
}
