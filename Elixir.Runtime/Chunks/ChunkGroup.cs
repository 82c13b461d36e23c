using Elixir.Collectives;
using Elixir.Fetching;
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
/// <remarks>
/// A reduce comes in two halves, <see cref="StartReduce"/> and <see cref="FinishReduce"/>, so that the
/// collective can run on a side stream while the block stays taken; one reduce at a time may be outstanding.
/// The fetcher drives the group through the same verbs, naming chunks by their index in <see cref="Chunks"/>.
/// </remarks>
public sealed class ChunkGroup : IDisposable, IChunkResidency
{
    private readonly IMemoryBackend _backend;
    private readonly IKernels _kernels;
    private readonly List<Chunk> _chunks = [];
    private readonly Dictionary<TensorKey, (Chunk Chunk, TensorHandle Handle)> _tensorToChunk = [];
    private readonly HashSet<Chunk> _gatheredPublic = [];
    private readonly HashSet<Chunk> _gatheredFused = [];
    private ReduceWorkspace? _workspace;
    private Chunk? _reducing;            // the chunk of the outstanding reduce, whose block is not back in the pool yet
    private RCacheBlock? _reducingBlock;

    /// <summary>Creates a group over <paramref name="pool"/>, which it takes ownership of.</summary>
    public ChunkGroup(RCache pool, IMemoryBackend backend, ICommunicator communicator, IKernels kernels)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentNullException.ThrowIfNull(kernels);
        Pool = pool;
        _backend = backend;
        Communicator = communicator;
        _kernels = kernels;
    }

    /// <summary>The rCache: the public blocks ordinary chunks are gathered into and the fused chunks' private blocks.</summary>
    public RCache Pool { get; }

    /// <summary>The ranks every chunk is sharded over.</summary>
    public ICommunicator Communicator { get; }

    /// <summary>Every closed chunk, in creation order.</summary>
    public IReadOnlyList<Chunk> Chunks => _chunks;

    /// <summary>The gathered ordinary chunks (each holding a public block).</summary>
    public IReadOnlySet<Chunk> GatheredPublicChunks => _gatheredPublic;

    /// <summary>The gathered fused chunks.</summary>
    public IReadOnlySet<Chunk> GatheredFusedChunks => _gatheredFused;

    int IChunkResidency.ChunkCount => _chunks.Count;

    int IChunkResidency.PublicBlockCount => Pool.PublicBlockCount;

    int IChunkResidency.FreePublicBlocks => Pool.FreePublicCount;

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

        return new Chunk(Pool, _backend, Communicator, _kernels, chunkSize, type, shardLocation, fused);
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
            _tensorToChunk.Add(new TensorKey(tensor.Counter, tensor.Index), (chunk, new TensorHandle(_chunks.Count, i)));
        }

        _chunks.Add(chunk);
    }

    /// <summary>The chunk holding tensor <paramref name="index"/> of the layout instance counted by <paramref name="counter"/>.</summary>
    public Chunk ChunkOf(ITensorStateCounter counter, int index) => Lookup(counter, index).Chunk;

    /// <summary>The tensor's chunk (its index in <see cref="Chunks"/>) and its position in that chunk.</summary>
    public TensorHandle HandleOf(ITensorStateCounter counter, int index)
    {
        ArgumentNullException.ThrowIfNull(counter);
        return Lookup(counter, index).Handle;
    }

    /// <summary>Moves a tensor to <paramref name="state"/> through its chunk (and so its generated counter).</summary>
    public void TransitionTensor(ITensorStateCounter counter, int index, TensorState state)
    {
        var (chunk, handle) = Lookup(counter, index);
        chunk.TransitionTensor(handle.Tensor, state);
    }

    /// <summary>True when <paramref name="chunk"/> is gathered.</summary>
    public bool IsGathered(Chunk chunk)
    {
        RequireInside(chunk);
        return (chunk.IsFused ? _gatheredFused : _gatheredPublic).Contains(chunk);
    }

    /// <summary>
    /// Gathers <paramref name="chunk"/> into a pool block on <paramref name="stream"/> (null: the backend's default
    /// stream); false (and nothing done) when already gathered.
    /// </summary>
    public bool Gather(Chunk chunk, IStream? stream = null)
    {
        if (IsGathered(chunk))
        {
            return false;
        }

        if (chunk.IsFused)
        {
            chunk.Gather(null, stream);
            _gatheredFused.Add(chunk);
            return true;
        }

        var block = Pool.GetPublicBlock();
        try
        {
            chunk.Gather(block, stream);
        }
        catch
        {
            Pool.FreePublicBlock(block);
            throw;
        }

        _gatheredPublic.Add(chunk);
        return true;
    }

    /// <summary>
    /// Scatters a gathered ordinary chunk on <paramref name="stream"/> (null: the backend's default stream) and
    /// returns its block to the pool.
    /// </summary>
    public void Scatter(Chunk chunk, IStream? stream = null)
    {
        RequireGathered(chunk, nameof(Scatter));
        Pool.FreePublicBlock(chunk.Scatter(stream));
        _gatheredPublic.Remove(chunk);
    }

    /// <summary>
    /// Reduce-scatters a gathered chunk whose tensors are all ready for reduce and finishes the reduce at once:
    /// the overflow flag and norm are taken and the block goes back to the pool. Everything runs on
    /// <paramref name="stream"/> (null: the backend's default stream).
    /// </summary>
    public void Reduce(Chunk chunk, bool alwaysFp32 = false, IStream? stream = null)
    {
        StartReduce(chunk, alwaysFp32, stream);
        FinishReduce(chunk, stream);
    }

    /// <summary>
    /// Starts reduce-scattering a gathered chunk whose tensors are all ready for reduce, on <paramref name="stream"/>
    /// (null: the backend's default stream). The chunk stops being gathered but its block (returned; null for a
    /// fused chunk) stays taken until <see cref="FinishReduce"/>, because the collective may still read it.
    /// Throws while another reduce is outstanding.
    /// </summary>
    public RCacheBlock? StartReduce(Chunk chunk, bool alwaysFp32 = false, IStream? stream = null)
    {
        RequireGathered(chunk, nameof(StartReduce));
        if (_reducing is not null)
        {
            throw new ChunkStateException(
                $"Cannot {nameof(StartReduce)} chunk #{chunk.Id}: the reduce of chunk #{_reducing.Id} is still outstanding; finish it first.");
        }

        var workspace = alwaysFp32 && chunk.DType != DType.Float32 ? WorkspaceFor(chunk) : null;
        var block = chunk.StartReduce(alwaysFp32, workspace, stream);
        (chunk.IsFused ? _gatheredFused : _gatheredPublic).Remove(chunk);
        _reducing = chunk;
        _reducingBlock = block;
        return block;
    }

    /// <summary>
    /// Finishes the outstanding reduce of <paramref name="chunk"/> on <paramref name="stream"/> (the reduce's stream
    /// or one ordered after it; null: the backend's default stream): takes the overflow flag and L2 norm and
    /// returns the block to the pool.
    /// </summary>
    public void FinishReduce(Chunk chunk, IStream? stream = null)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (!ReferenceEquals(_reducing, chunk))
        {
            throw new ChunkStateException(
                $"Cannot {nameof(FinishReduce)} chunk #{chunk.Id}: {(_reducing is null ? "no reduce is outstanding" : $"the outstanding reduce is chunk #{_reducing.Id}'s")}.");
        }

        var block = _reducingBlock;
        _reducing = null;
        _reducingBlock = null;
        chunk.FinishReduce(block, stream);
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

    /// <summary>Opens a chunk, appends <paramref name="tensors"/> (with zero values) and closes it.</summary>
    internal Chunk AllocateChunk(
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

    /// <summary>The distinct chunks holding the given tensors, ordered by chunk id.</summary>
    internal List<Chunk> TensorsToChunks(IEnumerable<(ITensorStateCounter Counter, int Index)> tensors)
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

    /// <summary>True when the pool can take <paramref name="chunk"/> now (fused chunks always can).</summary>
    internal bool RCacheEnoughCheck(Chunk chunk) => chunk.IsFused || Pool.FreePublicCount > 0;

    bool IChunkResidency.IsFused(int chunk) => _chunks[chunk].IsFused;

    bool IChunkResidency.IsGathered(int chunk) => _chunks[chunk].IsGathered;

    bool IChunkResidency.CanScatter(int chunk) => _chunks[chunk].CanScatter;

    bool IChunkResidency.CanReduce(int chunk) => _chunks[chunk].CanReduce;

    int IChunkResidency.TensorCountOf(int chunk) => _chunks[chunk].TensorCount;

    TensorState IChunkResidency.StateOf(int chunk, int tensor) => _chunks[chunk].Tensors[tensor].State;

    string IChunkResidency.NameOf(int chunk, int tensor) => _chunks[chunk].Tensors[tensor].Name;

    void IChunkResidency.Transition(int chunk, int tensor, TensorState to) => _chunks[chunk].TransitionTensor(tensor, to);

    void IChunkResidency.Gather(int chunk, IStream stream) => Gather(_chunks[chunk], stream);

    void IChunkResidency.Scatter(int chunk, IStream stream) => Scatter(_chunks[chunk], stream);

    void IChunkResidency.StartReduce(int chunk, bool alwaysFp32, IStream stream) => StartReduce(_chunks[chunk], alwaysFp32, stream);

    void IChunkResidency.FinishReduce(int chunk, IStream stream) => FinishReduce(_chunks[chunk], stream);

    void IChunkResidency.WriteGradient(int chunk, int tensor, BufferSlice gradient, DType gradientType) =>
        _chunks[chunk].WriteGradient(tensor, gradient, gradientType);

    private ReduceWorkspace WorkspaceFor(Chunk chunk)
    {
        if (_workspace is null || _workspace.ElementCount < chunk.ChunkSize)
        {
            _workspace?.Dispose();
            _workspace = new ReduceWorkspace(_backend, chunk.ChunkSize);
        }

        return _workspace;
    }

    private (Chunk Chunk, TensorHandle Handle) Lookup(ITensorStateCounter counter, int index) =>
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

    private void RequireGathered(Chunk chunk, string operation)
    {
        if (!IsGathered(chunk))
        {
            throw new ChunkStateException($"Cannot {operation} chunk #{chunk.Id}: it is not gathered. {chunk}");
        }
    }

    private readonly record struct TensorKey(ITensorStateCounter Counter, int Index);
}
