using Elixir.Collectives;
using Elixir.Kernels;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Chunks;

/// <summary>
/// All chunks of one rank and the rCache they are gathered into: opens, fills and closes chunks, maps each
/// tensor to its chunk, and gathers, scatters and reduces chunks through the pool, keeping the sets of
/// gathered chunks. It owns the pool and the chunks: disposing it frees all their memory.
/// </summary>
public sealed class ChunkGroup : IDisposable
{
    private readonly IMemoryBackend _backend;
    private readonly IKernels _kernels;
    private readonly List<Chunk> _chunks = [];
    private readonly Dictionary<TensorKey, (Chunk Chunk, int Position)> _tensorToChunk = [];
    private readonly HashSet<Chunk> _accessedFloat = [];
    private readonly HashSet<Chunk> _accessedFused = [];
    private readonly MemoryCategory _shardCategory;
    private ReduceWorkspace? _workspace;

    /// <summary>
    /// Creates a group over <paramref name="pool"/>, which it takes ownership of; its chunks' shards count as
    /// <paramref name="shardCategory"/>.
    /// </summary>
    public ChunkGroup(RCache pool, IMemoryBackend backend, ICommunicator communicator, IKernels kernels,
        MemoryCategory shardCategory = MemoryCategory.ParameterShards)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentNullException.ThrowIfNull(kernels);
        Pool = pool;
        _backend = backend;
        Communicator = communicator;
        _kernels = kernels;
        _shardCategory = shardCategory;
    }

    /// <summary>The rCache.</summary>
    public RCache Pool { get; }

    /// <summary>The ranks every chunk is sharded over.</summary>
    public ICommunicator Communicator { get; }

    /// <summary>Every closed chunk, in creation order.</summary>
    public IReadOnlyList<Chunk> Chunks => _chunks;

    /// <summary>The gathered ordinary chunks (each holding a public block).</summary>
    public IReadOnlySet<Chunk> AccessedFloatChunks => _accessedFloat;

    /// <summary>The gathered fused chunks.</summary>
    public IReadOnlySet<Chunk> AccessedFusedChunks => _accessedFused;

    /// <summary>
    /// Opens a chunk. An ordinary chunk must match the pool's public blocks (when the pool has any); a fused
    /// chunk takes one of the pool's reserved private blocks.
    /// </summary>
    public Chunk OpenChunk(long chunkSize, DType type, MemoryLocation shardLocation, bool fused = false)
    {
        if (!fused && Pool.PublicBlockCount > 0 && (chunkSize != Pool.PublicBlockElements || type != Pool.PublicType))
        {
            throw new ArgumentException(
                $"A chunk of {chunkSize} x {type} does not fit RCache '{Pool.Name}', whose public blocks are " +
                $"{Pool.PublicBlockElements} x {Pool.PublicType}.");
        }

        return new Chunk(Pool, _backend, Communicator, _kernels, chunkSize, type, shardLocation, fused, _shardCategory);
    }

    /// <summary>Closes <paramref name="chunk"/> and maps its tensors to it; a tensor already mapped throws before closing.</summary>
    public void CloseChunk(Chunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        foreach (var tensor in chunk.Tensors)
        {
            if (_tensorToChunk.TryGetValue(new TensorKey(tensor.Counter, tensor.Index), out var owner))
            {
                throw new ArgumentException(
                    $"Tensor '{tensor.Name}' of chunk #{chunk.Id} is already in chunk #{owner.Chunk.Id}.", nameof(chunk));
            }
        }

        chunk.Close();
        for (int i = 0; i < chunk.TensorCount; i++)
        {
            var tensor = chunk.Tensors[i];
            _tensorToChunk.Add(new TensorKey(tensor.Counter, tensor.Index), (chunk, i));
        }

        _chunks.Add(chunk);
    }

    /// <summary>Opens a chunk, appends <paramref name="tensors"/> (with zero values) and closes it.</summary>
    public Chunk AllocateChunk(
        IReadOnlyList<(LayoutBinding Binding, ITensorStateCounter Counter, int Index)> tensors,
        long chunkSize,
        DType type,
        MemoryLocation shardLocation,
        bool fused = false)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var chunk = OpenChunk(chunkSize, type, shardLocation, fused);
        try
        {
            foreach (var (binding, counter, index) in tensors)
            {
                chunk.Append(binding, counter, index);
            }

            CloseChunk(chunk);
            return chunk;
        }
        catch
        {
            chunk.Dispose();
            throw;
        }
    }

    /// <summary>The chunk holding tensor <paramref name="index"/> of the layout instance counted by <paramref name="counter"/>.</summary>
    public Chunk ChunkOf(ITensorStateCounter counter, int index) => Lookup(counter, index).Chunk;

    /// <summary>The distinct chunks holding the given tensors, ordered by chunk id.</summary>
    public List<Chunk> TensorsToChunks(IEnumerable<(ITensorStateCounter Counter, int Index)> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var chunks = new List<Chunk>();
        foreach (var (counter, index) in tensors)
        {
            var chunk = ChunkOf(counter, index);
            if (!chunks.Contains(chunk))
            {
                chunks.Add(chunk);
            }
        }

        chunks.Sort((a, b) => a.Id.CompareTo(b.Id));
        return chunks;
    }

    /// <summary>Moves a tensor to <paramref name="state"/> through its chunk (and so its generated counter).</summary>
    public void TransitionTensor(ITensorStateCounter counter, int index, TensorState state)
    {
        var (chunk, position) = Lookup(counter, index);
        chunk.TransitionTensor(position, state);
    }

    /// <summary>True when <paramref name="chunk"/> is gathered.</summary>
    public bool IsAccessed(Chunk chunk)
    {
        RequireInside(chunk);
        return (chunk.IsFused ? _accessedFused : _accessedFloat).Contains(chunk);
    }

    /// <summary>True when the pool can take <paramref name="chunk"/> now (fused chunks always can).</summary>
    public bool RCacheEnoughCheck(Chunk chunk) => chunk.IsFused || Pool.FreePublicCount > 0;

    /// <summary>
    /// Gathers <paramref name="chunk"/> into a pool block on <paramref name="stream"/> (null: the backend's default
    /// stream); false (and nothing done) when already gathered.
    /// </summary>
    public bool AccessChunk(Chunk chunk, IStream? stream = null)
    {
        if (IsAccessed(chunk))
        {
            return false;
        }

        if (chunk.IsFused)
        {
            chunk.Access(null, stream);
            _accessedFused.Add(chunk);
            return true;
        }

        var block = Pool.GetPublicBlock();
        try
        {
            chunk.Access(block, stream);
        }
        catch
        {
            Pool.FreePublicBlock(block);
            throw;
        }

        _accessedFloat.Add(chunk);
        return true;
    }

    /// <summary>
    /// Scatters a gathered ordinary chunk on <paramref name="stream"/> (null: the backend's default stream) and
    /// returns its block to the pool.
    /// </summary>
    public void ReleaseChunk(Chunk chunk, IStream? stream = null)
    {
        RequireAccessed(chunk, nameof(ReleaseChunk));
        Pool.FreePublicBlock(chunk.Release(stream));
        _accessedFloat.Remove(chunk);
    }

    /// <summary>
    /// Reduce-scatters a gathered chunk whose tensors are all ready for reduce. With <paramref name="sync"/> the
    /// block goes back to the pool and null is returned; otherwise the block is returned for
    /// <see cref="FinishReduce"/>. Everything runs on <paramref name="stream"/> (null: the backend's default stream).
    /// </summary>
    public RCacheBlock? ReduceChunk(Chunk chunk, bool alwaysFp32 = false, bool sync = true, IStream? stream = null)
    {
        RequireAccessed(chunk, nameof(ReduceChunk));
        // One rank reduces nothing, so it never needs the fp32 workspace (Chunk.Reduce skips it too).
        var workspace = alwaysFp32 && chunk.DType != DType.Float32 && Communicator.WorldSize > 1 ? WorkspaceFor(chunk) : null;
        var block = chunk.Reduce(alwaysFp32, sync, workspace, stream);
        (chunk.IsFused ? _accessedFused : _accessedFloat).Remove(chunk);
        if (sync && block is not null)
        {
            Pool.FreePublicBlock(block);
            return null;
        }

        return block;
    }

    /// <summary>
    /// Takes the deferred overflow flag and L2 norm of a reduce on <paramref name="stream"/> (the reduce's stream
    /// or one ordered after it; null: the backend's default stream) and returns the block to the pool.
    /// </summary>
    public void FinishReduce(Chunk chunk, RCacheBlock? block, IStream? stream = null)
    {
        chunk.UpdateExtraReduceInfo(block, stream);
        if (block is not null)
        {
            Pool.FreePublicBlock(block);
        }
    }

    /// <summary>Frees every chunk, the reduce workspace and the pool.</summary>
    public void Dispose()
    {
        foreach (var chunk in _chunks)
        {
            chunk.Dispose();
        }

        _chunks.Clear();
        _tensorToChunk.Clear();
        _workspace?.Dispose();
        _workspace = null;
        Pool.Dispose();
    }

    /// <summary>
    /// Allocates the fp32 reduce workspace for chunks of up to <paramref name="elementCount"/> elements now, so
    /// it is part of the memory at construction rather than appearing at the first reduce.
    /// </summary>
    public void ReserveReduceWorkspace(long elementCount)
    {
        if (elementCount > 0 && (_workspace is null || _workspace.ElementCount < elementCount))
        {
            _workspace?.Dispose();
            _workspace = null;
            _workspace = new ReduceWorkspace(_backend, elementCount);
        }
    }

    private ReduceWorkspace WorkspaceFor(Chunk chunk)
    {
        if (_workspace is null || _workspace.ElementCount < chunk.ChunkSize)
        {
            _workspace?.Dispose();
            _workspace = new ReduceWorkspace(_backend, chunk.ChunkSize);
        }

        return _workspace;
    }

    private (Chunk Chunk, int Position) Lookup(ITensorStateCounter counter, int index) =>
        _tensorToChunk.TryGetValue(new TensorKey(counter, index), out var entry)
            ? entry
            : throw new KeyNotFoundException($"Tensor '{counter.NameOf(index)}' (index {index}) is in no chunk of this group.");

    private void RequireInside(Chunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (!ReferenceEquals(chunk.Pool, Pool) || chunk.IsBuilding)
        {
            throw new ArgumentException($"{chunk} is not a closed chunk of the group over RCache '{Pool.Name}'.", nameof(chunk));
        }
    }

    private void RequireAccessed(Chunk chunk, string operation)
    {
        if (!IsAccessed(chunk))
        {
            throw new ChunkStateException($"Cannot {operation} chunk #{chunk.Id}: it is not gathered. {chunk}");
        }
    }

    private readonly record struct TensorKey(ITensorStateCounter Counter, int Index);
}
