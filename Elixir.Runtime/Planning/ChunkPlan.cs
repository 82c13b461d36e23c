using Elixir.Memory;

namespace Elixir.Planning;

/// <summary>One planned chunk: its size, its tensors in order and where each rank keeps its shard.</summary>
/// <param name="Size">The chunk size in elements, a multiple of the world size.</param>
/// <param name="IsFused">True for a fused (private) chunk holding one multi-use parameter in its own rCache block.</param>
/// <param name="ShardLocation">Where each rank's shard and its optimizer state live.</param>
/// <param name="Tensors">The tensors packed from offset 0, in order.</param>
public sealed record ChunkPlan(long Size, bool IsFused, MemoryLocation ShardLocation, IReadOnlyList<PlannedTensor> Tensors)
{
    /// <summary>The elements the tensors occupy; the rest of <see cref="Size"/> is padding.</summary>
    public long UsedElements => Tensors.Sum(t => t.ElementCount);
}
