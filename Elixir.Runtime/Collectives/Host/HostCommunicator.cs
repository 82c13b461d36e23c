using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Collectives.Host;

/// <summary>
/// One in-process rank's collectives (made by <see cref="LocalCluster"/>). Each rank reads its peers' buffers
/// directly; reductions run in rank order 0..N-1; calls allocate nothing. In checked mode every collective
/// first compares its fingerprint with rank 0's.
/// </summary>
public sealed unsafe class HostCommunicator : ICommunicator
{
    private readonly HostRendezvous _rendezvous;
    private readonly nint[] _sources;
    private long _sequence;

    internal HostCommunicator(HostRendezvous rendezvous, int rank)
    {
        _rendezvous = rendezvous;
        Rank = rank;
        _sources = new nint[rendezvous.WorldSize];
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int WorldSize => _rendezvous.WorldSize;

    /// <summary>The number of collectives this rank has started.</summary>
    public long Sequence => _sequence;

    /// <inheritdoc/>
    public void AllGather(BufferSlice send, BufferSlice receive, DType type, IStream? stream = null)
    {
        long bytes = send.ByteLength;
        RequireMultiple(CollectiveKind.AllGather, receive.ByteLength, bytes, WorldSize);
        long count = ElementCount(CollectiveKind.AllGather, bytes, type);
        Meet(CollectiveKind.AllGather, count, type, ReduceOp.Sum, -1, send.Address, receive.Address);
        var slots = _rendezvous.Slots;
        for (int k = 0; k < WorldSize; k++)
        {
            nint destination = receive.Address + (nint)(k * bytes);
            if (slots[k].Send != destination)
            {
                NativeMemory.Copy((void*)slots[k].Send, (void*)destination, (nuint)bytes);
            }
        }

        _rendezvous.Arrive(Rank);
    }

    /// <inheritdoc/>
    public void ReduceScatter(BufferSlice send, BufferSlice receive, DType type, ReduceOp op, IStream? stream = null)
    {
        long bytes = receive.ByteLength;
        RequireMultiple(CollectiveKind.ReduceScatter, send.ByteLength, bytes, WorldSize);
        long count = ElementCount(CollectiveKind.ReduceScatter, bytes, type);
        Meet(CollectiveKind.ReduceScatter, count, type, op, -1, send.Address, receive.Address);
        var slots = _rendezvous.Slots;
        for (int k = 0; k < WorldSize; k++)
        {
            _sources[k] = slots[k].Send + (nint)(Rank * bytes);
        }

        HostReduction.Reduce(_sources, receive.Address, count, type, op);
        _rendezvous.Arrive(Rank);
    }

    /// <inheritdoc/>
    public void AllReduce(BufferSlice send, BufferSlice receive, DType type, ReduceOp op, IStream? stream = null)
    {
        RequireMultiple(CollectiveKind.AllReduce, receive.ByteLength, send.ByteLength, 1);
        long count = ElementCount(CollectiveKind.AllReduce, send.ByteLength, type);
        Meet(CollectiveKind.AllReduce, count, type, op, -1, send.Address, receive.Address);

        // Rank r reduces element range r into its own receive buffer, then copies the other ranges from their
        // owners. A rank only ever reads its peers' send buffers inside its own range, so send may equal receive.
        int size = type.SizeOf();
        var slots = _rendezvous.Slots;
        long begin = RangeStart(count, Rank), end = RangeStart(count, Rank + 1);
        for (int k = 0; k < WorldSize; k++)
        {
            _sources[k] = slots[k].Send + (nint)(begin * size);
        }

        HostReduction.Reduce(_sources, receive.Address + (nint)(begin * size), end - begin, type, op);
        _rendezvous.Arrive(Rank);
        for (int k = 0; k < WorldSize; k++)
        {
            long b = RangeStart(count, k), e = RangeStart(count, k + 1);
            if (k != Rank && e > b)
            {
                NativeMemory.Copy((void*)(slots[k].Receive + (nint)(b * size)), (void*)(receive.Address + (nint)(b * size)), (nuint)((e - b) * size));
            }
        }

        _rendezvous.Arrive(Rank);
    }

    /// <inheritdoc/>
    public double AllReduce(double value, ReduceOp op)
    {
        _rendezvous.Slots[Rank].Scalar = value;
        Meet(CollectiveKind.AllReduceScalar, 1, DType.Float32, op, -1, 0, 0);
        double result = HostReduction.Reduce(_rendezvous.Slots, op);
        _rendezvous.Arrive(Rank);
        return result;
    }

    /// <inheritdoc/>
    public void Broadcast(BufferSlice buffer, DType type, int root, IStream? stream = null)
    {
        if ((uint)root >= (uint)WorldSize)
        {
            ThrowBadRoot(root);
        }

        long count = ElementCount(CollectiveKind.Broadcast, buffer.ByteLength, type);
        Meet(CollectiveKind.Broadcast, count, type, ReduceOp.Sum, root, buffer.Address, buffer.Address);
        if (Rank != root)
        {
            NativeMemory.Copy((void*)_rendezvous.Slots[root].Send, (void*)buffer.Address, (nuint)buffer.ByteLength);
        }

        _rendezvous.Arrive(Rank);
    }

    /// <inheritdoc/>
    public void Barrier()
    {
        // The second meeting keeps a fast rank from posting its next fingerprint while a peer still checks this one.
        Meet(CollectiveKind.Barrier, 0, DType.Float32, ReduceOp.Sum, -1, 0, 0);
        _rendezvous.Arrive(Rank);
    }

    /// <summary>Nothing to release; the cluster owns the shared state.</summary>
    public void Dispose()
    {
    }

    private long RangeStart(long count, int rank) => count * rank / WorldSize;

    /// <summary>Posts this rank's arguments and waits for every peer; in checked mode compares fingerprints.</summary>
    private void Meet(CollectiveKind kind, long count, DType type, ReduceOp op, int root, nint send, nint receive)
    {
        ref var slot = ref _rendezvous.Slots[Rank];
        slot.Fingerprint = new CollectiveFingerprint(++_sequence, kind, count, type, op, root);
        slot.Send = send;
        slot.Receive = receive;
        _rendezvous.Arrive(Rank);
        if (_rendezvous.Options.Checked)
        {
            var slots = _rendezvous.Slots;
            for (int k = 1; k < WorldSize; k++)
            {
                if (slots[k].Fingerprint != slots[0].Fingerprint)
                {
                    ThrowMismatch(k);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowMismatch(int rank) =>
        throw new CollectiveMismatchException(rank, _rendezvous.Slots[rank].Fingerprint, 0, _rendezvous.Slots[0].Fingerprint);

    private long ElementCount(CollectiveKind kind, long bytes, DType type)
    {
        int size = type.SizeOf();
        if (bytes % size != 0)
        {
            ThrowNotWhole(kind, bytes, type);
        }

        return bytes / size;
    }

    private void RequireMultiple(CollectiveKind kind, long large, long small, int factor)
    {
        if (large != small * factor)
        {
            ThrowSizes(kind, large, small, factor);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowSizes(CollectiveKind kind, long large, long small, int factor) => throw new ArgumentException(
        $"Rank {Rank}: {kind} needs a {small * factor}-byte buffer ({factor} x {small} bytes) but got {large} bytes.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNotWhole(CollectiveKind kind, long bytes, DType type) => throw new ArgumentException(
        $"Rank {Rank}: {kind} of {bytes} bytes is not a whole number of {type} elements ({type.SizeOf()} bytes each).");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBadRoot(int root) => throw new ArgumentOutOfRangeException(
        nameof(root), root, $"Rank {Rank}: broadcast root {root} is outside [0, {WorldSize}).");
}
