namespace Elixir.Memory;

/// <summary>
/// Allocation, copies, fills, streams and events for one device. Chunk, fetcher, optimizer and planner code
/// talk to this interface only, never to a concrete backend.
/// </summary>
public interface IMemoryBackend : IDisposable
{
    /// <summary>A short name for messages (<c>host</c>, <c>cuda:0</c>).</summary>
    string Name { get; }

    /// <summary>
    /// True when <see cref="MemoryLocation.Device"/> buffers are ordinary host memory the CPU may read and write
    /// directly (the host backend): views bind host addresses, host kernels serve every shard, and checkpoint I/O
    /// needs no staging copy. False (the default) for a real device.
    /// </summary>
    bool DeviceMemoryIsHostAddressable => false;

    /// <summary>The stream that compute work runs on; work on it is ordered with the caller.</summary>
    IStream DefaultStream { get; }

    /// <summary>Allocates <paramref name="byteLength"/> bytes (64-byte aligned at least) at <paramref name="location"/>.</summary>
    NativeBuffer Allocate(long byteLength, MemoryLocation location);

    /// <summary>Copies <c>source.ByteLength</c> bytes; both slices must be the same length.</summary>
    void Copy(BufferSlice destination, BufferSlice source, IStream? stream = null);

    /// <summary>Sets every byte of <paramref name="destination"/> to <paramref name="value"/>.</summary>
    void Fill(BufferSlice destination, byte value, IStream? stream = null);

    /// <summary>Creates a stream of its own (prefetch and reduce run on side streams).</summary>
    IStream CreateStream();

    /// <summary>Creates an event.</summary>
    IEvent CreateEvent();

    /// <summary>The bytes currently allocated at <paramref name="location"/> and not yet freed.</summary>
    long BytesAllocated(MemoryLocation location);

    /// <summary>The number of buffers allocated and not yet freed.</summary>
    int LiveBuffers { get; }
}
