namespace Elixir.Memory;

/// <summary>
/// One allocation made by an <see cref="IMemoryBackend"/>. Disposing it frees the memory exactly once; the
/// backend counts what is still allocated so a test can check that nothing leaked.
/// </summary>
public abstract class NativeBuffer : IDisposable
{
    /// <summary>Creates the buffer description.</summary>
    protected NativeBuffer(long byteLength, MemoryLocation location, MemoryCategory category = MemoryCategory.Other)
    {
        ByteLength = byteLength;
        Location = location;
        Category = category;
    }

    /// <summary>The buffer's start address (host or device address space, by <see cref="Location"/>).</summary>
    public abstract nint Address { get; }

    /// <summary>The size in bytes.</summary>
    public long ByteLength { get; }

    /// <summary>Where the buffer lives.</summary>
    public MemoryLocation Location { get; }

    /// <summary>What the buffer holds, as its backend counts it.</summary>
    public MemoryCategory Category { get; }

    /// <summary>
    /// True when the CPU may read and write the memory through <see cref="Address"/>: every buffer of the host
    /// backend, only pinned host buffers of the CUDA backend. Host views of other buffers throw.
    /// </summary>
    public virtual bool IsHostAddressable => true;

    /// <summary>True once disposed.</summary>
    public abstract bool IsDisposed { get; }

    /// <summary>The whole buffer as a slice.</summary>
    public BufferSlice All => new(this, 0, ByteLength);

    /// <summary>A byte range of this buffer; out-of-range requests throw naming both ranges.</summary>
    public BufferSlice Slice(long byteOffset, long byteLength) => new(this, byteOffset, byteLength);

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the memory.</summary>
    protected abstract void Dispose(bool disposing);
}
