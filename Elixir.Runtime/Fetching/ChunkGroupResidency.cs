using Elixir.Chunks;
using Elixir.Layout;
using Elixir.Memory;

namespace Elixir.Fetching;

/// <summary>
/// The chunks of a <see cref="ChunkGroup"/> as the fetcher sees them: chunk <c>i</c> is <c>group.Chunks[i]</c>.
/// Holds the block of each overlapped reduce until the fetcher finishes it.
/// </summary>
/// <remarks>
/// Every chunk operation runs on the stream the fetcher names: prefetch gathers on its prefetch stream, overlapped
/// reduces on its reduce stream, and the overflow and norm checks of a reduce on the stream that finishes it, which
/// the fetcher has ordered after the reduce.
/// </remarks>
internal sealed class ChunkGroupResidency : IChunkResidency
{
    private readonly ChunkGroup _group;
    private readonly Chunk[] _chunks;
    private readonly RCacheBlock?[] _reducing;  // chunk -> block its unfinished reduce still holds
    private readonly bool _reduceAlwaysFp32;

    public ChunkGroupResidency(ChunkGroup group, bool reduceAlwaysFp32)
    {
        ArgumentNullException.ThrowIfNull(group);
        _group = group;
        _chunks = [.. group.Chunks];
        _reducing = new RCacheBlock?[_chunks.Length];
        _reduceAlwaysFp32 = reduceAlwaysFp32;
    }

    public int ChunkCount => _chunks.Length;

    public int PublicBlockCount => _group.Pool.PublicBlockCount;

    public int FreePublicBlocks => _group.Pool.FreePublicCount;

    public Chunk this[int chunk] => _chunks[chunk];

    public bool IsFused(int chunk) => _chunks[chunk].IsFused;

    public bool IsGathered(int chunk) => _chunks[chunk].IsGathered;

    public bool CanRelease(int chunk) => _chunks[chunk].ScatterCheck;

    public bool CanReduce(int chunk) => _chunks[chunk].ReduceCheck;

    public int TensorCountOf(int chunk) => _chunks[chunk].TensorCount;

    public TensorState StateOf(int chunk, int tensor) => _chunks[chunk].Tensors[tensor].State;

    public string NameOf(int chunk, int tensor) => _chunks[chunk].Tensors[tensor].Name;

    public void Transition(int chunk, int tensor, TensorState to) => _chunks[chunk].TransitionTensor(tensor, to);

    public void Gather(int chunk, IStream stream) => _group.AccessChunk(_chunks[chunk], stream);

    public void Release(int chunk, IStream stream) => _group.ReleaseChunk(_chunks[chunk], stream);

    public void Reduce(int chunk, IStream stream) =>
        _reducing[chunk] = _group.ReduceChunk(_chunks[chunk], _reduceAlwaysFp32, sync: false, stream);

    public void FinishReduce(int chunk, IStream stream)
    {
        var block = _reducing[chunk];
        _reducing[chunk] = null;
        _group.FinishReduce(_chunks[chunk], block, stream);
    }

    public TensorHandle Find(ITensorStateCounter counter, int index)
    {
        var handle = Find(_group, counter, index);
        if (handle.Chunk >= _chunks.Length)
        {
            throw new ArgumentException(
                $"Tensor '{counter.NameOf(index)}' is in chunk {handle.Chunk}, closed after the fetcher was made for {_chunks.Length} chunks.",
                nameof(counter));
        }

        return handle;
    }

    /// <summary>The handle of a tensor: its chunk's position in <c>group.Chunks</c> and its position in the chunk.</summary>
    public static TensorHandle Find(ChunkGroup group, ITensorStateCounter counter, int index)
    {
        var owner = group.ChunkOf(counter, index);
        var chunks = group.Chunks;
        var chunk = 0;
        while (!ReferenceEquals(chunks[chunk], owner))
        {
            chunk++;
        }

        var tensors = owner.Tensors;
        for (var position = 0; position < tensors.Count; position++)
        {
            if (ReferenceEquals(tensors[position].Counter, counter) && tensors[position].Index == index)
            {
                return new TensorHandle(chunk, position);
            }
        }

        throw new InvalidOperationException($"Tensor '{counter.NameOf(index)}' is mapped to chunk #{owner.Id} but not in it.");
    }
}
