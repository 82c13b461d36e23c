using Elixir.Collectives;
using Elixir.Cuda;
using Elixir.Interop;
using Elixir.Memory;
using Elixir.Memory.Cuda;
using Elixir.Numerics;

namespace Elixir.Collectives.Nccl;

// Inside this namespace "Nccl" would name the namespace, not the bindings.
using Nccl = Elixir.Interop.Nccl;

/// <summary>
/// Collectives over NCCL between GPUs, one rank per GPU (or several per GPU where NCCL allows it). Buffer
/// collectives are queued on a stream (the backend's default when none). Every host wait on the backend's streams
/// and events then polls NCCL for asynchronous errors and gives up after <see cref="CollectiveTimeout"/>: it
/// aborts the communicator and throws, so a dead or stalled peer ends every rank with an exception, never a hang.
/// Communicators joined by unique id start non-blocking for the same reason. In checked mode every collective
/// first compares a fingerprint of the call across ranks.
/// </summary>
public sealed unsafe class NcclCommunicator : ICommunicator
{
    /// <summary>The default <see cref="CollectiveTimeout"/>: ten minutes, as PyTorch's NCCL watchdog.</summary>
    public static readonly TimeSpan DefaultCollectiveTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The first NCCL that runs several ranks on one GPU (with <c>NCCL_MULTI_RANK_GPU_ENABLE=1</c>).</summary>
    public static readonly Version MultiRankPerGpuVersion = new(2, 30, 3);

    private readonly CudaMemoryBackend _backend;
    private readonly NcclCommunicatorHandle _handle;
    private readonly NcclWatch _watch;
    private readonly NativeBuffer _deviceScalars, _hostScalars;
    private readonly CudaEvent _completion;
    private long _sequence;

    private NcclCommunicator(CudaMemoryBackend backend, NcclCommunicatorHandle handle, NcclWatch watch, int worldSize, bool checkedMode)
    {
        _backend = backend;
        _handle = handle;
        _watch = watch;
        Rank = watch.Rank;
        WorldSize = worldSize;
        IsChecked = checkedMode;
        _deviceScalars = backend.Allocate(2 * sizeof(double), MemoryLocation.Device, MemoryCategory.Communication);
        _hostScalars = backend.Allocate(2 * sizeof(double), MemoryLocation.Host, MemoryCategory.Communication);
        _completion = (CudaEvent)backend.CreateEvent();
        backend.HostWait.Attach(watch);
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int WorldSize { get; }

    /// <summary>True when every collective is checked against the other ranks' calls first.</summary>
    public bool IsChecked { get; }

    /// <summary>
    /// How long any host wait on this rank's streams may last while collectives are queued before the communicator
    /// is aborted and the wait throws a <see cref="CollectiveTimeoutException"/>. Default <see cref="DefaultCollectiveTimeout"/>.
    /// </summary>
    public TimeSpan CollectiveTimeout
    {
        get => _watch.Timeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _watch.Timeout = value;
        }
    }

    /// <summary>NCCL's version as <c>major.minor.patch</c>.</summary>
    public static Version NcclVersion
    {
        get
        {
            LibraryGuard.RequireNccl();
            Nccl.ncclGetVersion(out int version).ThrowIfFailed();
            return new Version(version / 10000, version / 100 % 100, version % 100);
        }
    }

    /// <summary>
    /// Whether the loaded NCCL runs several ranks on one GPU: version <see cref="MultiRankPerGpuVersion"/> or later
    /// and <c>NCCL_MULTI_RANK_GPU_ENABLE=1</c> in the process environment (NCCL reads it natively, so it must be set
    /// before the process starts).
    /// </summary>
    public static bool AllowsSeveralRanksPerGpu =>
        NcclVersion >= MultiRankPerGpuVersion && Environment.GetEnvironmentVariable("NCCL_MULTI_RANK_GPU_ENABLE") == "1";

    /// <summary>
    /// One communicator per backend, all in this process (<c>ncclCommInitAll</c>); rank i uses backends[i]'s GPU.
    /// Drive each from its own thread, as the host communicator's ranks are. Two ranks on one GPU need
    /// <see cref="AllowsSeveralRanksPerGpu"/>.
    /// </summary>
    public static NcclCommunicator[] CreateAll(IReadOnlyList<CudaMemoryBackend> backends, bool checkedMode = false)
    {
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentOutOfRangeException.ThrowIfZero(backends.Count);
        LibraryGuard.RequireNccl();
        int count = backends.Count;
        int[] devices = [.. backends.Select(backend => backend.Device.Ordinal)];
        if (devices.Distinct().Count() != count && !AllowsSeveralRanksPerGpu)
        {
            throw new ArgumentException(
                $"Each rank needs its own GPU; the backends use devices {string.Join(", ", devices)}. NCCL {NcclVersion} "
                + $"runs several ranks on one GPU only from {MultiRankPerGpuVersion} with NCCL_MULTI_RANK_GPU_ENABLE=1.", nameof(backends));
        }

        nint[] communicators = new nint[count];
        fixed (nint* comms = communicators)
        fixed (int* list = devices)
        {
            Nccl.ncclCommInitAll(comms, count, list).ThrowIfFailed();
        }

        return [.. Enumerable.Range(0, count).Select(rank =>
        {
            var owned = new NcclCommunicatorHandle(communicators[rank], nonBlocking: false);
            return new NcclCommunicator(backends[rank], owned, new NcclWatch(owned, rank, DefaultCollectiveTimeout), count, checkedMode);
        })];
    }

    /// <summary>A new NCCL unique id (rank 0 makes it and shares it with the others before <see cref="Create(CudaMemoryBackend, int, int, ReadOnlySpan{byte}, bool)"/>).</summary>
    public static byte[] CreateUniqueId()
    {
        LibraryGuard.RequireNccl();
        Nccl.ncclGetUniqueId(out NcclUniqueId id).ThrowIfFailed();
        return ((ReadOnlySpan<byte>)id).ToArray();
    }

    /// <summary>Joins rank <paramref name="rank"/> of <paramref name="worldSize"/> to the communicator <paramref name="uniqueId"/> names (<c>ncclCommInitRankConfig</c>, non-blocking: a peer that never joins ends the start-up after <see cref="DefaultCollectiveTimeout"/> with a <see cref="CollectiveTimeoutException"/>).</summary>
    public static NcclCommunicator Create(CudaMemoryBackend backend, int rank, int worldSize, ReadOnlySpan<byte> uniqueId, bool checkedMode = false)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        if (rank < 0 || rank >= worldSize)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Rank must be in [0, {worldSize}).");
        }

        if (uniqueId.Length != NcclUniqueId.ByteCount)
        {
            throw new ArgumentException($"An NCCL unique id is {NcclUniqueId.ByteCount} bytes, not {uniqueId.Length}.", nameof(uniqueId));
        }

        return Join(backend, rank, worldSize, uniqueId, checkedMode, DefaultCollectiveTimeout);
    }

    /// <summary>
    /// Joins a one-process-per-GPU run described by <paramref name="environment"/>: rank 0 makes the unique id and
    /// serves it over TCP, the others fetch it; a peer that does not arrive within <paramref name="timeout"/> ends
    /// the start-up with a <see cref="TimeoutException"/> on every rank that is waiting; the NCCL start-up itself is
    /// bounded by the same timeout.
    /// </summary>
    public static NcclCommunicator Create(CudaMemoryBackend backend, DistributedEnvironment environment, TimeSpan timeout, bool checkedMode = false)
    {
        ArgumentNullException.ThrowIfNull(environment);
        byte[] id = UniqueIdExchange.Run(environment, CreateUniqueId, timeout);
        return Join(backend, environment.Rank, environment.WorldSize, id, checkedMode, timeout);
    }

    // ncclCommInitRankConfig with blocking = 0 returns at once; the start-up is then polled like any other wait,
    // so a peer that never calls it ends this rank's start-up with an exception after the timeout.
    private static NcclCommunicator Join(CudaMemoryBackend backend, int rank, int worldSize, ReadOnlySpan<byte> uniqueId, bool checkedMode, TimeSpan timeout)
    {
        LibraryGuard.RequireNccl();
        NcclUniqueId id = default;
        uniqueId.CopyTo(id);
        ncclConfig_t config = ncclConfig_t.Initializer();
        config.blocking = 0;
        backend.MakeCurrent();
        ncclResult_t started = Nccl.ncclCommInitRankConfig(out nint communicator, worldSize, id, rank, &config);
        if (started is not (ncclResult_t.ncclSuccess or ncclResult_t.ncclInProgress) || communicator == 0)
        {
            if (communicator != 0)
            {
                Nccl.ncclCommAbort(communicator);
            }

            throw NcclStatus.ToException(started, $"ncclCommInitRankConfig(rank {rank} of {worldSize}, non-blocking)");
        }

        var owned = new NcclCommunicatorHandle(communicator, nonBlocking: true);
        var watch = new NcclWatch(owned, rank, timeout);
        HostWait.ForProgress(watch);
        watch.Timeout = DefaultCollectiveTimeout;
        try
        {
            return new NcclCommunicator(backend, owned, watch, worldSize, checkedMode);
        }
        catch
        {
            owned.Abort();
            throw;
        }
    }

    /// <inheritdoc/>
    public void AllGather(BufferSlice send, BufferSlice receive, DType type, IStream? stream = null)
    {
        long count = Elements(send, type, nameof(send));
        RequireBytes(receive, send.ByteLength * WorldSize, nameof(receive), "WorldSize times send");
        Check(CollectiveKind.AllGather, type, ReduceOp.Sum, count, -1);
        Enqueued(Nccl.ncclAllGather(send.Address, receive.Address, (nuint)count, DataType(type), Comm, Queue(stream)));
    }

    /// <inheritdoc/>
    public void ReduceScatter(BufferSlice send, BufferSlice receive, DType type, ReduceOp op, IStream? stream = null)
    {
        long count = Elements(receive, type, nameof(receive));
        RequireBytes(send, receive.ByteLength * WorldSize, nameof(send), "WorldSize times receive");
        Check(CollectiveKind.ReduceScatter, type, op, count, -1);
        Enqueued(Nccl.ncclReduceScatter(send.Address, receive.Address, (nuint)count, DataType(type), Operation(op), Comm, Queue(stream)));
    }

    /// <inheritdoc/>
    public void AllReduce(BufferSlice send, BufferSlice receive, DType type, ReduceOp op, IStream? stream = null)
    {
        long count = Elements(send, type, nameof(send));
        RequireBytes(receive, send.ByteLength, nameof(receive), "send");
        Check(CollectiveKind.AllReduce, type, op, count, -1);
        Enqueued(Nccl.ncclAllReduce(send.Address, receive.Address, (nuint)count, DataType(type), Operation(op), Comm, Queue(stream)));
    }

    /// <inheritdoc/>
    public double AllReduce(double value, ReduceOp op)
    {
        Check(CollectiveKind.AllReduceScalar, DType.Float32, op, 1, -1);
        return ReduceScalars(value, 0, op, 1)[0];
    }

    /// <inheritdoc/>
    public void Broadcast(BufferSlice buffer, DType type, int root, IStream? stream = null)
    {
        if (root < 0 || root >= WorldSize)
        {
            throw new ArgumentOutOfRangeException(nameof(root), root, $"Broadcast root must be a rank in [0, {WorldSize}).");
        }

        long count = Elements(buffer, type, nameof(buffer));
        Check(CollectiveKind.Broadcast, type, ReduceOp.Sum, count, root);
        Enqueued(Nccl.ncclBroadcast(buffer.Address, buffer.Address, (nuint)count, DataType(type), root, Comm, Queue(stream)));
    }

    /// <inheritdoc/>
    public void Barrier()
    {
        Check(CollectiveKind.Barrier, DType.Float32, ReduceOp.Sum, 0, -1);
        ReduceScalars(0, 0, ReduceOp.Sum, 1);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _backend.HostWait.Detach(_watch);
        _handle.Dispose();
        _completion.Dispose();
        _deviceScalars.Dispose();
        _hostScalars.Dispose();
    }

    private nint Comm => _handle.DangerousGetHandle();

    private nint Queue(IStream? stream)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        _backend.MakeCurrent();
        return _backend.StreamHandle(stream);
    }

    // A non-blocking communicator may answer a call with ncclInProgress; it must settle before the next one.
    private void Enqueued(ncclResult_t result, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(result))] string call = "")
    {
        if (result == ncclResult_t.ncclInProgress)
        {
            HostWait.ForProgress(_watch);
            return;
        }

        result.ThrowIfFailed(call);
    }

    private void Check(CollectiveKind kind, DType type, ReduceOp op, long elements, int root)
    {
        var call = new CollectiveFingerprint(++_sequence, kind, elements, type, op, root);
        _watch.Queued(call);
        if (!IsChecked)
        {
            return;
        }

        double fingerprint = NcclCollectiveFingerprint.Of(call);

        // One max-reduce of (f, -f) yields the largest and the smallest fingerprint: equal only when all ranks agree.
        ReadOnlySpan<double> extremes = ReduceScalars(fingerprint, -fingerprint, ReduceOp.Max, 2);
        if (extremes[0] != -extremes[1])
        {
            // Every rank sees the disagreement, so every rank takes part in gathering the calls to name them.
            Span<double> mine = stackalloc double[NcclCollectiveFingerprint.CallValues];
            NcclCollectiveFingerprint.Encode(mine, call);
            throw NcclCollectiveFingerprint.Mismatch(GatherCalls(mine));
        }
    }

    /// <summary>All-gathers each rank's encoded call (only on the mismatch path, so it may allocate).</summary>
    private double[] GatherCalls(ReadOnlySpan<double> mine)
    {
        int per = mine.Length;
        nuint bytes = (nuint)(per * WorldSize * sizeof(double));
        using var device = _backend.Allocate((long)bytes, MemoryLocation.Device, MemoryCategory.Communication);
        using var host = _backend.Allocate((long)bytes, MemoryLocation.Host, MemoryCategory.Communication);
        var staged = new Span<double>((void*)host.Address, per * WorldSize);
        mine.CopyTo(staged.Slice(Rank * per, per));
        nint queue = Queue(null);
        nint own = device.Address + Rank * per * sizeof(double);
        CudaDriver.cuMemcpyHtoDAsync((ulong)own, host.Address + Rank * per * sizeof(double), (nuint)(per * sizeof(double)), queue).ThrowIfFailed();
        Enqueued(Nccl.ncclAllGather(own, device.Address, (nuint)per, ncclDataType_t.ncclFloat64, Comm, queue));
        CudaDriver.cuMemcpyDtoHAsync(host.Address, (ulong)device.Address, bytes, queue).ThrowIfFailed();
        CudaDriver.cuEventRecord(_completion.Handle, queue).ThrowIfFailed();
        _completion.Synchronize();
        return staged.ToArray();
    }

    private ReadOnlySpan<double> ReduceScalars(double first, double second, ReduceOp op, int count)
    {
        nint queue = Queue(null);
        var host = new Span<double>((void*)_hostScalars.Address, 2);
        host[0] = first;
        host[1] = second;
        var device = (ulong)_deviceScalars.Address;
        nuint bytes = (nuint)(count * sizeof(double));
        CudaDriver.cuMemcpyHtoDAsync(device, _hostScalars.Address, bytes, queue).ThrowIfFailed();
        Enqueued(Nccl.ncclAllReduce(_deviceScalars.Address, _deviceScalars.Address, (nuint)count, ncclDataType_t.ncclFloat64, Operation(op), Comm, queue));
        CudaDriver.cuMemcpyDtoHAsync(_hostScalars.Address, device, bytes, queue).ThrowIfFailed();
        CudaDriver.cuEventRecord(_completion.Handle, queue).ThrowIfFailed();
        _completion.Synchronize();
        return host[..count];
    }

    private static long Elements(BufferSlice slice, DType type, string name)
    {
        int size = type.SizeOf();
        if (slice.ByteLength % size != 0)
        {
            throw new ArgumentException($"{name} holds {slice.ByteLength} bytes, not a whole number of {size}-byte {type} elements.", name);
        }

        return slice.ByteLength / size;
    }

    private static void RequireBytes(BufferSlice slice, long expected, string name, string rule)
    {
        if (slice.ByteLength != expected)
        {
            throw new ArgumentException($"{name} holds {slice.ByteLength} bytes; it must hold {rule}: {expected} bytes.", name);
        }
    }

    internal static ncclDataType_t DataType(DType type) => type switch
    {
        DType.Float32 => ncclDataType_t.ncclFloat32,
        DType.Float16 => ncclDataType_t.ncclFloat16,
        DType.BFloat16 => ncclDataType_t.ncclBfloat16,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "NCCL has no such element type."),
    };

    internal static ncclRedOp_t Operation(ReduceOp op) => op switch
    {
        ReduceOp.Sum => ncclRedOp_t.ncclSum,
        ReduceOp.Average => ncclRedOp_t.ncclAvg,
        ReduceOp.Max => ncclRedOp_t.ncclMax,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "NCCL has no such reduction."),
    };
}
