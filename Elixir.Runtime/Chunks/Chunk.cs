using System.Runtime.CompilerServices;
using Elixir.Collectives;
using Elixir.Kernels;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Chunks;

/// <summary>
/// A fixed-size contiguous buffer of parameter tensors, sharded over the ranks. It is built by appending
/// tensors of layout instances (each one's table row, binding and generated state counter) and closing it;
/// after that each rank keeps only its shard, gathers the whole chunk into an rCache block to compute
/// (<see cref="Gather"/>), and scatters back (<see cref="Scatter"/>) or reduce-scatters gradients
/// (<see cref="StartReduce"/>, <see cref="FinishReduce"/>). Fused chunks keep a private block and are never scattered.
/// </summary>
/// <remarks>
/// The operations that move data take an optional stream and issue every copy, cast and collective on it
/// (null means the backend's default stream); the caller orders that stream against the others with events.
/// While gathered, every tensor's <see cref="LayoutBinding"/> address points into the block; otherwise it is
/// zero (unbound), because a shard holds only a piece of some tensors and reading a view then must fail
/// loudly. Not thread-safe: a chunk belongs to one rank.
/// <para>
/// One verb per operation from the engine down to the chunk (<see cref="ChunkGroup"/> and the fetcher use the
/// same names); the Python original (ColossalAI Elixir) names them differently:
/// </para>
/// <list type="table">
/// <listheader><term>here</term><description>Python (chunk.py, group.py, fetcher.py)</description></listheader>
/// <item><term><see cref="Gather"/></term><description><c>Chunk.access_chunk</c>, <c>ChunkGroup.access_chunk</c>, <c>ChunkFetcher.fetch_chunks</c></description></item>
/// <item><term><see cref="Scatter"/></term><description><c>Chunk.release_chunk</c>, <c>ChunkGroup.release_chunk</c></description></item>
/// <item><term><see cref="StartReduce"/></term><description><c>Chunk.reduce_chunk</c>, <c>ChunkGroup.reduce_chunk</c> (with <c>sync=False</c>)</description></item>
/// <item><term><see cref="FinishReduce"/></term><description><c>Chunk.update_extra_reduce_info</c></description></item>
/// <item><term><see cref="RefreshFromMaster"/></term><description><c>Chunk.optim_update</c></description></item>
/// <item><term><see cref="CanScatter"/>, <see cref="CanReduce"/></term><description><c>Chunk.scatter_check</c>, <c>Chunk.reduce_check</c></description></item>
/// </list>
/// </remarks>
public sealed partial class Chunk : IDisposable
{
    private static int s_nextId;

    private readonly IMemoryBackend _backend;
    private readonly IKernels _kernels;
    private readonly List<ChunkTensor> _tensors = [];
    private readonly int[] _stateCounts = new int[TensorStateRules.StateCount];
    private readonly NativeBuffer _shard;
    private readonly RCacheBlock? _privateBlock;
    private NativeBuffer? _buildBuffer;
    private RCacheBlock? _block;
    private long _used;
    private bool _disposed;

    /// <summary>Opens an empty chunk for appending tensors.</summary>
    /// <param name="pool">The rCache its gathered form lives in (a fused chunk takes a private block now).</param>
    /// <param name="backend">The memory backend for the shard and copies.</param>
    /// <param name="communicator">The ranks the chunk is sharded over.</param>
    /// <param name="kernels">Element-wise kernels (casts, overflow check, sum of squares).</param>
    /// <param name="chunkSize">The chunk size in elements; a multiple of the world size.</param>
    /// <param name="type">The element type of every tensor in the chunk.</param>
    /// <param name="shardLocation">Where the shard lives (host means offloaded).</param>
    /// <param name="fused">True for a fused chunk: replicated in a private block, never scattered.</param>
    /// <param name="shardCategory">What the shard counts as: parameter shards, or optimizer state for an fp32 master chunk.</param>
    public Chunk(
        RCache pool,
        IMemoryBackend backend,
        ICommunicator communicator,
        IKernels kernels,
        long chunkSize,
        DType type,
        MemoryLocation shardLocation,
        bool fused = false,
        MemoryCategory shardCategory = MemoryCategory.ParameterShards)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentNullException.ThrowIfNull(kernels);
        int worldSize = communicator.WorldSize;
        if (chunkSize <= 0 || chunkSize % worldSize != 0)
        {
            throw new ArgumentException(
                $"Chunk size {chunkSize} is not a positive multiple of the world size {worldSize}.", nameof(chunkSize));
        }

        Id = Interlocked.Increment(ref s_nextId);
        Pool = pool;
        _backend = backend;
        _kernels = kernels;
        Communicator = communicator;
        ChunkSize = chunkSize;
        DType = type;
        ShardLocation = shardLocation;
        IsFused = fused;
        Shard = ShardRange.Of(chunkSize, worldSize, communicator.Rank, chunkSize + 1);
        _privateBlock = fused ? pool.GetPrivateBlock(chunkSize, type) : null;
        try
        {
            _shard = backend.Allocate(ShardBytes, shardLocation, shardCategory);
            // Built where the shard lives: an offloaded chunk never needs device memory while it is filled.
            _buildBuffer = fused ? null : backend.Allocate(ChunkBytes, shardLocation, MemoryCategory.TransientIO);
            backend.Fill(BuildPayload, 0);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>A number that identifies the chunk in messages and orders chunks by creation.</summary>
    public int Id { get; }

    /// <summary>The rCache the chunk is gathered into.</summary>
    public RCache Pool { get; }

    /// <summary>The ranks the chunk is sharded over.</summary>
    public ICommunicator Communicator { get; }

    /// <summary>The chunk size in elements.</summary>
    public long ChunkSize { get; }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>Where the shard lives.</summary>
    public MemoryLocation ShardLocation { get; }

    /// <summary>True for a fused chunk (private block, never scattered).</summary>
    public bool IsFused { get; }

    /// <summary>This rank's shard; <see cref="ShardRange.ValidCount"/> is final once the chunk is closed.</summary>
    public ShardRange Shard { get; private set; }

    /// <summary>The elements taken by tensors.</summary>
    public long UsedElements => _used;

    /// <summary>The chunk's size in bytes.</summary>
    public long ChunkBytes => ChunkSize * DType.SizeOf();

    /// <summary>The shard's size in bytes.</summary>
    public long ShardBytes => Shard.Count * DType.SizeOf();

    /// <summary>This rank's shard memory.</summary>
    public BufferSlice ShardPayload => _shard.All;

    /// <summary>True until <see cref="Close"/>.</summary>
    public bool IsBuilding => !IsClosed;

    /// <summary>True while the whole chunk is gathered in a block (before close it is being built instead).</summary>
    public bool IsGathered { get; private set; }

    /// <summary>The block holding the gathered chunk, or null.</summary>
    public RCacheBlock? Block => _block;

    /// <summary>The private block of a fused chunk, or null.</summary>
    public RCacheBlock? PrivateBlock => _privateBlock;

    /// <summary>The tensors in append order.</summary>
    public IReadOnlyList<ChunkTensor> Tensors => _tensors;

    /// <summary>The number of tensors.</summary>
    public int TensorCount => _tensors.Count;

    /// <summary>True when the last reduce found an inf or NaN in the valid part of this rank's shard.</summary>
    public bool Overflow { get; private set; }

    /// <summary>Whether reduce also computes <see cref="L2NormSquared"/>.</summary>
    public bool L2NormEnabled { get; set; }

    /// <summary>The sum of squares of the valid part of this rank's reduced shard (when enabled), or null.</summary>
    public double? L2NormSquared { get; private set; }

    /// <summary>
    /// True from <see cref="FinishReduce"/> until <see cref="ResetReduceInfo"/>: a second reduce in between
    /// would overwrite an overflow flag and norm the step has not used yet (upstream asserts the same).
    /// </summary>
    internal bool HasReduceInfo { get; private set; }

    /// <summary>
    /// True when all tensors are gathered and none is computing: the chunk may be scattered. Always false for
    /// fused chunks. O(1).
    /// </summary>
    public bool CanScatter => !IsFused &&
        _stateCounts[(int)TensorState.Hold] + _stateCounts[(int)TensorState.HoldAfterBackward]
        + _stateCounts[(int)TensorState.ReadyForReduce] == _tensors.Count;

    /// <summary>True when every tensor is ready for reduce. O(1).</summary>
    public bool CanReduce => _stateCounts[(int)TensorState.ReadyForReduce] == _tensors.Count;

    private bool IsClosed { get; set; }

    private BufferSlice BuildPayload => IsFused ? _privateBlock!.Payload : _buildBuffer!.All;

    private BufferSlice ShardOf(RCacheBlock block) => block.Payload.Slice(Shard.Begin * DType.SizeOf(), ShardBytes);

    /// <summary>How many of the chunk's tensors are in <paramref name="state"/>. O(1).</summary>
    internal int CountIn(TensorState state) => _stateCounts[(int)state];

    /// <summary>
    /// Gathers the chunk from every rank's shard into <paramref name="block"/> (a public block in use, of this
    /// chunk's size and type; null for a fused chunk, which uses its private block) and binds the tensors there.
    /// The copy and the all-gather are issued on <paramref name="stream"/> (null: the backend's default stream).
    /// </summary>
    public void Gather(RCacheBlock? block, IStream? stream = null)
    {
        RequireClosed(nameof(Gather));
        if (IsGathered)
        {
            ThrowState(nameof(Gather), "it is already gathered");
        }

        var target = IsFused ? _privateBlock! : RequireUsableBlock(block);
        if (IsFused && block is not null)
        {
            ThrowState(nameof(Gather), $"it is fused and uses its private block, not {block}");
        }

        var own = ShardOf(target);
        CopyParameterShardInto(own, stream);
        Communicator.AllGather(own, target.Payload, DType, stream);
        _block = target;
        IsGathered = true;
        Bind(target);
    }

    /// <summary>
    /// Scatters the chunk back to the shard (refreshing it if the optimizer left it stale, by a copy issued on
    /// <paramref name="stream"/>) and returns its block.
    /// </summary>
    public RCacheBlock Scatter(IStream? stream = null)
    {
        RequireClosed(nameof(Scatter));
        if (IsFused)
        {
            ThrowState(nameof(Scatter), "fused chunks are never scattered");
        }

        if (!IsGathered)
        {
            ThrowState(nameof(Scatter), "it is not gathered");
        }

        if (!CanScatter)
        {
            ThrowState(nameof(Scatter), $"{_stateCounts[(int)TensorState.Compute]} of {_tensors.Count} tensors are computing");
        }

        var block = _block!;
        Unbind();
        if (!OptimizerSynced)
        {
            _backend.Copy(_shard.All, ShardOf(block), stream);
            OptimizerSynced = true;
        }

        _block = null;
        IsGathered = false;
        return block;
    }

    /// <summary>
    /// Moves tensor <paramref name="tensor"/> (its index in this chunk) to <paramref name="to"/> through its
    /// layout's state counter; staying in the same state is a no-op, an illegal move throws and changes nothing.
    /// </summary>
    public void TransitionTensor(int tensor, TensorState to)
    {
        var t = _tensors[tensor];
        var from = t.State;
        if (from == to)
        {
            return;
        }

        t.Counter.Transition(t.Index, to);
        _stateCounts[(int)from]--;
        _stateCounts[(int)to]++;
    }

    /// <summary>The bytes the chunk holds at each location now.</summary>
    public ChunkMemoryUsage MemoryUsage()
    {
        long device = IsGathered || IsFused || IsBuilding ? ChunkBytes : 0;
        long host = 0;
        if (ShardLocation == MemoryLocation.Device)
        {
            device += ShardBytes;
        }
        else
        {
            host += ShardBytes;
        }

        return new ChunkMemoryUsage(device, host);
    }

    /// <summary>Frees the shard and gives back the private block; the rCache block of a gathered chunk stays with its pool.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _shard?.Dispose();
        _buildBuffer?.Dispose();
        _buildBuffer = null;
        if (_privateBlock is { InUse: true })
        {
            Pool.FreePrivateBlock(_privateBlock);
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Chunk #{Id} ({DType}, {_used}/{ChunkSize} used, shard [{Shard.Begin}, {Shard.End}) valid {Shard.ValidCount}, " +
        $"{(IsFused ? "fused" : "public")}, shard on {ShardLocation}, {(IsGathered ? "gathered" : IsBuilding ? "building" : "scattered")})";

    private BufferSlice TensorSlice(BufferSlice payload, ChunkTensor tensor) =>
        payload.Slice(tensor.Offset * DType.SizeOf(), tensor.ElementCount * DType.SizeOf());

    private void Bind(RCacheBlock block)
    {
        foreach (var tensor in _tensors)
        {
            tensor.Binding.SetAddress(tensor.Index, TensorSlice(block.Payload, tensor).Address, LocationOf(block.Payload));
        }
    }

    // Views follow the memory: a host view of a chunk gathered in GPU memory must throw, not dereference.
    private static BindingLocation LocationOf(BufferSlice memory) =>
        memory.Buffer.IsHostAddressable ? BindingLocation.Host : BindingLocation.Device;

    private void Unbind()
    {
        foreach (var tensor in _tensors)
        {
            tensor.Binding.SetAddress(tensor.Index, 0);
        }
    }

    private RCacheBlock RequireUsableBlock(RCacheBlock? block)
    {
        if (block is null || !ReferenceEquals(block.Pool, Pool) || !block.IsPublic || !block.InUse
            || block.ElementCount != ChunkSize || block.DType != DType)
        {
            ThrowState(nameof(Gather), $"it needs a public block in use of {ChunkSize} x {DType} from RCache '{Pool.Name}', got {block?.ToString() ?? "none"}");
        }

        return block!;
    }

    private void RequireBuilding(string operation)
    {
        if (IsClosed)
        {
            ThrowState(operation, "it is closed");
        }
    }

    private void RequireClosed(string operation)
    {
        if (!IsClosed)
        {
            ThrowState(operation, "it is still open for appending");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowReduceInfoTaken(string operation) => ThrowState(operation,
        $"the overflow flag ({Overflow}) and L2 norm ({L2NormSquared?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}) of the previous reduce were not cleared; call ResetReduceInfo after the step that uses them");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowState(string operation, string reason) =>
        throw new ChunkStateException($"Chunk #{Id} cannot {operation}: {reason}. {this}");
}
