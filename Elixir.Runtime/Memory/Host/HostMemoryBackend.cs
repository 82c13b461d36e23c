using System.Runtime.InteropServices;

namespace Elixir.Memory.Host;

/// <summary>
/// The embedded memory backend: 64-byte-aligned native host memory for both <see cref="MemoryLocation"/>s,
/// accounted separately, with synchronous copies and fills. Thread-safe; in-process ranks may share one.
/// </summary>
public sealed unsafe class HostMemoryBackend : IMemoryBackend
{
    /// <summary>The alignment of every allocation, in bytes (one cache line, the widest SIMD register).</summary>
    public const int Alignment = 64;

    private long _deviceBytes;
    private long _hostBytes;
    private int _liveBuffers;

    /// <inheritdoc/>
    public string Name => "host";

    /// <inheritdoc/>
    public bool DeviceMemoryIsHostAddressable => true;

    /// <inheritdoc/>
    public IStream DefaultStream => HostStream.Instance;

    /// <inheritdoc/>
    public int LiveBuffers => Volatile.Read(ref _liveBuffers);

    /// <inheritdoc/>
    public NativeBuffer Allocate(long byteLength, MemoryLocation location)
    {
        if (byteLength <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(byteLength), byteLength, $"Backend '{Name}' cannot allocate {byteLength} bytes; the size must be positive.");
        }

        if (location is not (MemoryLocation.Device or MemoryLocation.Host))
        {
            throw new ArgumentOutOfRangeException(nameof(location), location, $"Backend '{Name}' has no location {location}.");
        }

        var handle = new HostMemoryHandle(this, byteLength, location);
        Interlocked.Add(ref Counter(location), byteLength);
        Interlocked.Increment(ref _liveBuffers);
        return new HostBuffer(handle, byteLength, location);
    }

    /// <inheritdoc/>
    public void Copy(BufferSlice destination, BufferSlice source, IStream? stream = null)
    {
        if (destination.ByteLength != source.ByteLength)
        {
            ThrowLengthMismatch(destination.ByteLength, source.ByteLength);
        }

        NativeMemory.Copy((void*)source.Address, (void*)destination.Address, (nuint)source.ByteLength);
    }

    /// <inheritdoc/>
    public void Fill(BufferSlice destination, byte value, IStream? stream = null) =>
        NativeMemory.Fill((void*)destination.Address, (nuint)destination.ByteLength, value);

    /// <inheritdoc/>
    public IStream CreateStream() => HostStream.Instance;

    /// <inheritdoc/>
    public IEvent CreateEvent() => HostStream.Instance;

    /// <inheritdoc/>
    public long BytesAllocated(MemoryLocation location) => Volatile.Read(ref Counter(location));

    /// <summary>Nothing to release: every buffer frees itself when disposed.</summary>
    public void Dispose()
    {
    }

    internal void OnFreed(long byteLength, MemoryLocation location)
    {
        Interlocked.Add(ref Counter(location), -byteLength);
        Interlocked.Decrement(ref _liveBuffers);
    }

    private ref long Counter(MemoryLocation location) =>
        ref location == MemoryLocation.Device ? ref _deviceBytes : ref _hostBytes;

    private void ThrowLengthMismatch(long destination, long source) => throw new ArgumentException(
        $"Backend '{Name}': copy of {source} bytes into a {destination}-byte slice; the lengths must match.");
}
