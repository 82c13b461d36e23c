using System.Net;
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
/// Collectives over NCCL between GPUs, one rank per GPU. Buffer collectives are queued on a stream (the
/// backend's default when none); the scalar all-reduce and <see cref="Barrier"/> wait for their result and poll
/// NCCL for asynchronous errors meanwhile, aborting the communicator and throwing when a peer fails instead of
/// waiting forever. In checked mode every collective first compares a fingerprint of the call across ranks.
/// </summary>
public sealed unsafe class NcclCommunicator : ICommunicator
{
    private readonly CudaMemoryBackend backend;
    private readonly NcclCommunicatorHandle handle;
    private readonly NativeBuffer deviceScalars, hostScalars;
    private readonly CudaEvent completion;
    private long sequence;

    private NcclCommunicator(CudaMemoryBackend backend, nint communicator, int rank, int worldSize, bool checkedMode)
    {
        this.backend = backend;
        handle = new NcclCommunicatorHandle(communicator);
        Rank = rank;
        WorldSize = worldSize;
        IsChecked = checkedMode;
        deviceScalars = backend.Allocate(2 * sizeof(double), MemoryLocation.Device, MemoryCategory.Communication);
        hostScalars = backend.Allocate(2 * sizeof(double), MemoryLocation.Host, MemoryCategory.Communication);
        completion = new CudaEvent(backend.Device);
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int WorldSize { get; }

    /// <summary>True when every collective is checked against the other ranks' calls first.</summary>
    public bool IsChecked { get; }

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
    /// One communicator per backend, all in this process (<c>ncclCommInitAll</c>); rank i uses backends[i]'s GPU.
    /// Drive each from its own thread, as the host communicator's ranks are.
    /// </summary>
    public static NcclCommunicator[] CreateAll(IReadOnlyList<CudaMemoryBackend> backends, bool checkedMode = false)
    {
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentOutOfRangeException.ThrowIfZero(backends.Count);
        LibraryGuard.RequireNccl();
        int count = backends.Count;
        int[] devices = [.. backends.Select(backend => backend.Device.Ordinal)];
        if (devices.Distinct().Count() != count)
        {
            throw new ArgumentException($"Each rank needs its own GPU; the backends use devices {string.Join(", ", devices)}.", nameof(backends));
        }

        nint[] communicators = new nint[count];
        fixed (nint* comms = communicators)
        fixed (int* list = devices)
        {
            Nccl.ncclCommInitAll(comms, count, list).ThrowIfFailed();
        }

        return [.. Enumerable.Range(0, count).Select(rank => new NcclCommunicator(backends[rank], communicators[rank], rank, count, checkedMode))];
    }

    /// <summary>A new NCCL unique id (rank 0 makes it and shares it with the others before <see cref="Create(CudaMemoryBackend, int, int, ReadOnlySpan{byte}, bool)"/>).</summary>
    public static byte[] CreateUniqueId()
    {
        LibraryGuard.RequireNccl();
        Nccl.ncclGetUniqueId(out NcclUniqueId id).ThrowIfFailed();
        return ((ReadOnlySpan<byte>)id).ToArray();
    }

    /// <summary>Joins rank <paramref name="rank"/> of <paramref name="worldSize"/> to the communicator <paramref name="uniqueId"/> names (<c>ncclCommInitRank</c>).</summary>
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

        LibraryGuard.RequireNccl();
        NcclUniqueId id = default;
        uniqueId.CopyTo(id);
        backend.MakeCurrent();
        Nccl.ncclCommInitRank(out nint communicator, worldSize, id, rank).ThrowIfFailed();
        return new NcclCommunicator(backend, communicator, rank, worldSize, checkedMode);
    }

    /// <summary>
    /// Joins a one-process-per-GPU run described by <paramref name="environment"/>: rank 0 makes the unique id and
    /// serves it over TCP, the others fetch it; a peer that does not arrive within <paramref name="timeout"/> ends
    /// the start-up with a <see cref="TimeoutException"/> on every rank that is waiting.
    /// </summary>
    public static NcclCommunicator Create(CudaMemoryBackend backend, DistributedEnvironment environment, TimeSpan timeout, bool checkedMode = false)
    {
        ArgumentNullException.ThrowIfNull(environment);
        byte[] id;
        if (environment.Rank == 0)
        {
            id = CreateUniqueId();
            using var server = new UniqueIdServer(IPAddress.Any, environment.BootstrapPort, environment.WorldSize);
            server.Serve(id, timeout);
        }
        else
        {
            id = UniqueIdClient.Fetch(environment.MasterAddress, environment.BootstrapPort, environment.Rank, timeout);
        }

        return Create(backend, environment.Rank, environment.WorldSize, id, checkedMode);
    }

    /// <inheritdoc/>
    public void AllGather(BufferSlice send, BufferSlice receive, DType type, IStream? stream = null)
    {
        long count = Elements(send, type, nameof(send));
        RequireBytes(receive, send.ByteLength * WorldSize, nameof(receive), "WorldSize times send");
        Check(CollectiveKind.AllGather, type, ReduceOp.Sum, count, -1);
        Nccl.ncclAllGather(send.Address, receive.Address, (nuint)count, DataType(type), Comm, Queue(stream)).ThrowIfFailed();
    }

    /// <inheritdoc/>
    public void ReduceScatter(BufferSlice send, BufferSlice receive, DType type, ReduceOp op, IStream? stream = null)
    {
        long count = Elements(receive, type, nameof(receive));
        RequireBytes(send, receive.ByteLength * WorldSize, nameof(send), "WorldSize times receive");
        Check(CollectiveKind.ReduceScatter, type, op, count, -1);
        Nccl.ncclReduceScatter(send.Address, receive.Address, (nuint)count, DataType(type), Operation(op), Comm, Queue(stream)).ThrowIfFailed();
    }

    /// <inheritdoc/>
    public void AllReduce(BufferSlice send, BufferSlice receive, DType type, ReduceOp op, IStream? stream = null)
    {
        long count = Elements(send, type, nameof(send));
        RequireBytes(receive, send.ByteLength, nameof(receive), "send");
        Check(CollectiveKind.AllReduce, type, op, count, -1);
        Nccl.ncclAllReduce(send.Address, receive.Address, (nuint)count, DataType(type), Operation(op), Comm, Queue(stream)).ThrowIfFailed();
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
        Nccl.ncclBroadcast(buffer.Address, buffer.Address, (nuint)count, DataType(type), root, Comm, Queue(stream)).ThrowIfFailed();
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
        handle.Dispose();
        completion.Dispose();
        deviceScalars.Dispose();
        hostScalars.Dispose();
    }

    private nint Comm => handle.DangerousGetHandle();

    private nint Queue(IStream? stream)
    {
        ObjectDisposedException.ThrowIf(handle.IsClosed, this);
        backend.MakeCurrent();
        return backend.StreamHandle(stream);
    }

    private void Check(CollectiveKind kind, DType type, ReduceOp op, long elements, int root)
    {
        long sequenceNumber = ++sequence;
        if (!IsChecked)
        {
            return;
        }

        var call = new CollectiveFingerprint(sequenceNumber, kind, elements, type, op, root);
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
        using var device = backend.Allocate((long)bytes, MemoryLocation.Device);
        using var host = backend.Allocate((long)bytes, MemoryLocation.Host);
        var staged = new Span<double>((void*)host.Address, per * WorldSize);
        mine.CopyTo(staged.Slice(Rank * per, per));
        nint queue = Queue(null);
        nint own = device.Address + Rank * per * sizeof(double);
        CudaDriver.cuMemcpyHtoDAsync((ulong)own, host.Address + Rank * per * sizeof(double), (nuint)(per * sizeof(double)), queue).ThrowIfFailed();
        Nccl.ncclAllGather(own, device.Address, (nuint)per, ncclDataType_t.ncclFloat64, Comm, queue).ThrowIfFailed();
        CudaDriver.cuMemcpyDtoHAsync(host.Address, (ulong)device.Address, bytes, queue).ThrowIfFailed();
        CudaDriver.cuEventRecord(completion.Handle, queue).ThrowIfFailed();
        WaitOrAbort();
        return staged.ToArray();
    }

    private ReadOnlySpan<double> ReduceScalars(double first, double second, ReduceOp op, int count)
    {
        nint queue = Queue(null);
        var host = new Span<double>((void*)hostScalars.Address, 2);
        host[0] = first;
        host[1] = second;
        var device = (ulong)deviceScalars.Address;
        nuint bytes = (nuint)(count * sizeof(double));
        CudaDriver.cuMemcpyHtoDAsync(device, hostScalars.Address, bytes, queue).ThrowIfFailed();
        Nccl.ncclAllReduce(deviceScalars.Address, deviceScalars.Address, (nuint)count, ncclDataType_t.ncclFloat64, Operation(op), Comm, queue).ThrowIfFailed();
        CudaDriver.cuMemcpyDtoHAsync(hostScalars.Address, device, bytes, queue).ThrowIfFailed();
        CudaDriver.cuEventRecord(completion.Handle, queue).ThrowIfFailed();
        WaitOrAbort();
        return host[..count];
    }

    // Polls instead of blocking in cuEventSynchronize so that a failed peer, which NCCL reports as an
    // asynchronous error, ends the wait with an exception rather than a hang.
    private void WaitOrAbort()
    {
        var spinner = new SpinWait();
        while (!completion.IsComplete)
        {
            Nccl.ncclCommGetAsyncError(Comm, out ncclResult_t asyncError).ThrowIfFailed();
            if (asyncError != ncclResult_t.ncclSuccess && asyncError != ncclResult_t.ncclInProgress)
            {
                handle.Abort();
                throw NcclStatus.ToException(asyncError, $"rank {Rank} waiting for a collective (communicator aborted)");
            }

            spinner.SpinOnce(sleep1Threshold: 64);
        }
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
