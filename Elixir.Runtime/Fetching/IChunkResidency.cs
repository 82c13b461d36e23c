using Elixir.Layout;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Fetching;

/// <summary>
/// What <see cref="ChunkFetcher"/> needs from the chunks it drives: where each chunk is (gathered into an rCache
/// block or only sharded), its tensors' states, and the moves between the two places. Chunks are named by index.
/// <see cref="Chunks.ChunkGroup"/> serves it directly; tests drive the fetcher's logic with chunks without data.
/// </summary>
/// <remarks>
/// Every operation runs on the stream the fetcher names: prefetch gathers on its prefetch stream, overlapped
/// reduces on its reduce stream, and the overflow and norm checks of a reduce on the stream that finishes it,
/// which the fetcher has ordered after the reduce.
/// </remarks>
internal interface IChunkResidency
{
    /// <summary>The number of chunks.</summary>
    int ChunkCount { get; }

    /// <summary>The number of public rCache blocks.</summary>
    int PublicBlockCount { get; }

    /// <summary>The public blocks not holding a chunk now.</summary>
    int FreePublicBlocks { get; }

    /// <summary>True for a chunk with a private block of its own; it never takes or gives back a public block.</summary>
    bool IsFused(int chunk);

    /// <summary>True while the chunk is gathered in an rCache block.</summary>
    bool IsGathered(int chunk);

    /// <summary>True when no tensor of the public chunk is computing, so it may be scattered back.</summary>
    bool CanScatter(int chunk);

    /// <summary>True when every tensor of the chunk is ready for reduce.</summary>
    bool CanReduce(int chunk);

    /// <summary>The number of tensors in the chunk.</summary>
    int TensorCountOf(int chunk);

    /// <summary>The state of tensor <paramref name="tensor"/> of <paramref name="chunk"/>.</summary>
    TensorState StateOf(int chunk, int tensor);

    /// <summary>The tensor's name, for messages.</summary>
    string NameOf(int chunk, int tensor);

    /// <summary>Moves a tensor to <paramref name="to"/>; illegal transitions throw and change nothing.</summary>
    void Transition(int chunk, int tensor, TensorState to);

    /// <summary>Takes a block (public, or the chunk's private one) and all-gathers the chunk into it on <paramref name="stream"/>.</summary>
    void Gather(int chunk, IStream stream);

    /// <summary>Scatters a gathered public chunk back to its shard on <paramref name="stream"/> and frees its block.</summary>
    void Scatter(int chunk, IStream stream);

    /// <summary>
    /// Reduce-scatters the chunk's gradient on <paramref name="stream"/> (in fp32 for a 16-bit chunk with
    /// <paramref name="alwaysFp32"/>). The chunk stops being gathered but keeps its block until
    /// <see cref="FinishReduce"/>, because the collective may still be reading it. One reduce may be outstanding.
    /// </summary>
    void StartReduce(int chunk, bool alwaysFp32, IStream stream);

    /// <summary>
    /// Completes a reduce once <paramref name="stream"/> is ordered after it: takes the overflow flag and norm of
    /// the reduced shard and returns the block to the pool.
    /// </summary>
    void FinishReduce(int chunk, IStream stream);

    /// <summary>
    /// Writes <paramref name="gradient"/> (of <paramref name="gradientType"/>) over the tensor's slice of the
    /// gathered chunk, rounding it to the chunk's type.
    /// </summary>
    void WriteGradient(int chunk, int tensor, BufferSlice gradient, DType gradientType);
}
