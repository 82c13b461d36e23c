using System.Runtime.InteropServices;
using Elixir.Cuda;
using Elixir.Interop;
using Elixir.Memory;

namespace Elixir.Memory.Cuda;

/// <summary>
/// Memory, copies and streams on one GPU: device buffers from <c>cuMemAlloc</c>, host buffers pinned with
/// <c>cuMemHostAlloc</c> (so host↔device copies run asynchronously at full bandwidth), and every copy or fill
/// queued on a stream (the default one unless told otherwise).
/// </summary>
public sealed class CudaMemoryBackend : IMemoryBackend
{
    private readonly CudaStream _defaultStream;
    private readonly List<CudaStream> _streams = [];
    private int _liveBuffers;

    /// <summary>Creates the backend on <paramref name="device"/>; the device stays owned by the caller.</summary>
    public CudaMemoryBackend(CudaDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        Device = device;
        Counters = new MemoryCounters(Name);
        _defaultStream = new CudaStream(device, HostWait, Forget);
        _streams.Add(_defaultStream);
    }

    /// <summary>The device the backend allocates on.</summary>
    public CudaDevice Device { get; }

    /// <inheritdoc/>
    public string Name => $"cuda:{Device.Ordinal}";

    /// <summary>How the host waits on this backend's streams and events; communicators attach to it.</summary>
    internal HostWait HostWait { get; } = new();

    /// <inheritdoc/>
    public MemoryCounters Counters { get; }

    /// <inheritdoc/>
    public IStream DefaultStream => _defaultStream;

    /// <inheritdoc/>
    public int LiveBuffers => Volatile.Read(ref _liveBuffers);

    /// <inheritdoc/>
    public NativeBuffer Allocate(long byteLength, MemoryLocation location, MemoryCategory category = MemoryCategory.Other)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteLength);
        MakeCurrent();
        Counters.Reserve(byteLength, location, category);

        // The driver refuses zero-byte requests; an empty buffer still needs a distinct, freeable address.
        var size = (nuint)Math.Max(byteLength, 1);
        SafeHandle memory;
        if (location == MemoryLocation.Device)
        {
            CUresult result = CudaDriver.cuMemAlloc(out ulong pointer, size);
            ThrowIfAllocationFailed(result, byteLength, location, category);
            memory = new DeviceMemoryHandle(Device.Lifetime, (nint)pointer);
        }
        else
        {
            CUresult result = CudaDriver.cuMemHostAlloc(
                out nint pointer, size, CudaDriver.CU_MEMHOSTALLOC_PORTABLE | CudaDriver.CU_MEMHOSTALLOC_DEVICEMAP);
            ThrowIfAllocationFailed(result, byteLength, location, category);
            memory = new PinnedHostMemoryHandle(Device.Lifetime, pointer);
        }

        Interlocked.Increment(ref _liveBuffers);
        return new CudaBuffer(this, memory, byteLength, location, category);
    }

    /// <inheritdoc/>
    public void Copy(BufferSlice destination, BufferSlice source, IStream? stream = null)
    {
        if (destination.ByteLength != source.ByteLength)
        {
            throw new ArgumentException(
                $"Copy needs equal lengths: destination {destination.ByteLength} bytes ({destination.Location}), source {source.ByteLength} bytes ({source.Location}).",
                nameof(destination));
        }

        if (source.ByteLength == 0)
        {
            return;
        }

        MakeCurrent();
        nint queue = StreamHandle(stream);
        var count = (nuint)source.ByteLength;
        (MemoryLocation to, MemoryLocation from) = (destination.Location, source.Location);
        if (to == MemoryLocation.Device && from == MemoryLocation.Device)
        {
            CudaDriver.cuMemcpyDtoDAsync((ulong)destination.Address, (ulong)source.Address, count, queue).ThrowIfFailed();
        }
        else if (to == MemoryLocation.Device)
        {
            CudaDriver.cuMemcpyHtoDAsync((ulong)destination.Address, source.Address, count, queue).ThrowIfFailed();
        }
        else if (from == MemoryLocation.Device)
        {
            CudaDriver.cuMemcpyDtoHAsync(destination.Address, (ulong)source.Address, count, queue).ThrowIfFailed();
        }
        else
        {
            CudaDriver.cuMemcpyAsync((ulong)destination.Address, (ulong)source.Address, count, queue).ThrowIfFailed();
        }
    }

    /// <inheritdoc/>
    public void Fill(BufferSlice destination, byte value, IStream? stream = null)
    {
        if (destination.ByteLength == 0)
        {
            return;
        }

        MakeCurrent();
        if (destination.Location == MemoryLocation.Device)
        {
            CudaDriver.cuMemsetD8Async((ulong)destination.Address, value, (nuint)destination.ByteLength, StreamHandle(stream)).ThrowIfFailed();
            return;
        }

        // Pinned host memory is filled by the CPU once the stream's earlier work on it has finished. NativeMemory.Fill
        // takes a native length, so buffers above 2 GiB fill whole (a Span's length is an int).
        StreamOf(stream).Synchronize();
        unsafe
        {
            NativeMemory.Fill((void*)destination.Address, (nuint)destination.ByteLength, value);
        }
    }

    /// <inheritdoc/>
    public IStream CreateStream()
    {
        var stream = new CudaStream(Device, HostWait, Forget);
        lock (_streams)
        {
            _streams.Add(stream);
        }

        return stream;
    }

    /// <inheritdoc/>
    public IEvent CreateEvent() => new CudaEvent(Device, HostWait);

    /// <summary>An event that records timestamps, for measuring work between two of them.</summary>
    internal CudaEvent CreateTimedEvent() => new(Device, HostWait, timed: true);

    /// <inheritdoc/>
    public long BytesAllocated(MemoryLocation location) => Counters.Live(location);

    /// <inheritdoc/>
    public void Dispose() => _defaultStream.Dispose();

    internal void MakeCurrent() => Device.MakeCurrent();

    internal nint StreamHandle(IStream? stream) => StreamOf(stream).Handle;

    internal CudaStream StreamOf(IStream? stream) => stream is null ? _defaultStream : CudaStream.From(stream);

    /// <summary>
    /// Waits for every stream of the backend before a buffer is freed: <c>cuMemFree</c> and <c>cuMemFreeHost</c>
    /// may return while queued work still reads or writes the memory (CUDA 13 documents that they "may" synchronize).
    /// Frees happen at set-up and teardown, never in a training step, so the wait costs nothing there.
    /// </summary>
    internal void BeforeFree()
    {
        CudaStream[] live;
        lock (_streams)
        {
            live = [.. _streams];
        }

        foreach (CudaStream stream in live)
        {
            stream.Synchronize();
        }
    }

    internal void OnFreed(CudaBuffer buffer)
    {
        Counters.Release(buffer.ByteLength, buffer.Location, buffer.Category);
        Interlocked.Decrement(ref _liveBuffers);
    }

    private void Forget(CudaStream stream)
    {
        lock (_streams)
        {
            _streams.Remove(stream);
        }
    }

    private void ThrowIfAllocationFailed(CUresult result, long byteLength, MemoryLocation location, MemoryCategory category)
    {
        if (result != CUresult.CUDA_SUCCESS)
        {
            Counters.Release(byteLength, location, category);
            throw CudaStatus.ToException(result,
                $"Allocating {byteLength} bytes of {location} memory ({category.DisplayName()}) on {Name} ({BytesAllocated(location)} bytes already allocated there)");
        }
    }
}
