using System.Runtime.InteropServices;
using Elixir.Kernels;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Chunks;

/// <summary>
/// The overflow flag and the sum of squares of each chunk's reduced shard for one step, accumulated where the
/// reduce ran (a small device buffer, one slot per chunk) and read by the host once, in the optimizer step.
/// Reducing a chunk therefore never waits for the GPU, which keeps the fetcher's prefetch/reduce overlap.
/// </summary>
/// <remarks>
/// A slot is a 4-byte flag (padded to 8) followed by <see cref="PartialSums"/> doubles. The sum of squares is kept
/// as partial sums and added on the host in index order: the same additions, in the same order, as
/// <see cref="IKernels.SumOfSquares"/>, so deferring changes no bit of the norm.
/// </remarks>
public sealed class ReduceStatistics : IDisposable
{
    /// <summary>
    /// How many partial sums a sum of squares is queued as (<see cref="IKernels.QueueSumOfSquares"/>): the blocks of
    /// the device kernel. 128 blocks of 256 threads keep a GPU's memory busy, while a slot (1 KiB) stays small beside
    /// a chunk, which matters for the many small chunks of an offloaded run under a tight budget.
    /// </summary>
    public const int PartialSums = 128;

    private const int FlagBytes = 8;
    private const int SlotBytes = FlagBytes + PartialSums * sizeof(double);

    private readonly IMemoryBackend _backend;
    private readonly IKernels _kernels;
    private readonly NativeBuffer _device, _host;
    private readonly IStream?[] _streams = new IStream?[4];
    private int _streamCount;

    /// <summary>The bytes of <paramref name="slots"/> slots, allocated once on the device and once on the host; the plan counts both as scratch.</summary>
    public static long Bytes(int slots) => (long)Math.Max(slots, 1) * SlotBytes;

    /// <summary>Allocates <paramref name="slots"/> zeroed slots on <paramref name="backend"/>'s device and their host copy.</summary>
    public ReduceStatistics(IMemoryBackend backend, IKernels kernels, int slots)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(kernels);
        ArgumentOutOfRangeException.ThrowIfNegative(slots);
        _backend = backend;
        _kernels = kernels;
        Slots = slots;
        _device = backend.Allocate(Bytes(slots), MemoryLocation.Device, MemoryCategory.Staging);
        try
        {
            _host = backend.Allocate(_device.ByteLength, MemoryLocation.Host, MemoryCategory.Staging);
            backend.Fill(_device.All, 0);
            backend.Fill(_host.All, 0);
            backend.DefaultStream.Synchronize();
        }
        catch
        {
            _device.Dispose();
            throw;
        }
    }

    /// <summary>The number of slots.</summary>
    public int Slots { get; }

    /// <summary>
    /// Queues the checks of <paramref name="valid"/> (the valid part of a reduced shard) into <paramref name="slot"/> on
    /// <paramref name="stream"/>: the flag is set when any element is non-finite, and with <paramref name="squares"/>
    /// the partial sums of squares are written. Waits for nothing.
    /// </summary>
    public void Queue(int slot, BufferSlice valid, DType type, bool squares, IStream? stream)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)slot, (uint)Slots, nameof(slot));
        _kernels.AccumulateNonFinite(valid, type, Flag(slot), stream);
        if (squares)
        {
            _kernels.QueueSumOfSquares(valid, type, Partials(slot), stream);
        }

        Remember(stream);
    }

    /// <summary>
    /// Waits once for every stream checks were queued on, copies all slots to the host and zeroes them on the device
    /// for the next step. Read the results with <see cref="Overflow"/> and <see cref="SumOfSquares"/>.
    /// </summary>
    public void Read()
    {
        for (int i = 0; i < _streamCount; i++)
        {
            _streams[i]!.Synchronize();
            _streams[i] = null;
        }

        _streamCount = 0;
        _backend.Copy(_host.All, _device.All);
        _backend.Fill(_device.All, 0);
        _backend.DefaultStream.Synchronize();
    }

    /// <summary>True when the checks read last found a non-finite value in <paramref name="slot"/>.</summary>
    public bool Overflow(int slot) => MemoryMarshal.Read<uint>(HostSlot(slot)) != 0;

    /// <summary>The sum of squares read last for <paramref name="slot"/> (0 when none was queued).</summary>
    public double SumOfSquares(int slot)
    {
        double sum = 0;
        foreach (double partial in MemoryMarshal.Cast<byte, double>(HostSlot(slot)[FlagBytes..]))
        {
            sum += partial;
        }

        return sum;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _device.Dispose();
        _host.Dispose();
    }

    private BufferSlice Flag(int slot) => _device.Slice((long)slot * SlotBytes, sizeof(uint));

    private BufferSlice Partials(int slot) => _device.Slice((long)slot * SlotBytes + FlagBytes, PartialSums * sizeof(double));

    private Span<byte> HostSlot(int slot) => _host.Slice((long)slot * SlotBytes, SlotBytes).AsSpan<byte>();

    // The streams to wait for at Read, without allocating: the default stream (null) and up to four others.
    private void Remember(IStream? stream)
    {
        if (stream is null || ReferenceEquals(stream, _backend.DefaultStream))
        {
            return;
        }

        for (int i = 0; i < _streamCount; i++)
        {
            if (ReferenceEquals(_streams[i], stream))
            {
                return;
            }
        }

        if (_streamCount == _streams.Length)
        {
            stream.Synchronize();
            return;
        }

        _streams[_streamCount++] = stream;
    }
}
