using System.Runtime.CompilerServices;

namespace Elixir.Memory;

/// <summary>A byte range <c>[ByteOffset, ByteOffset + ByteLength)</c> of a <see cref="NativeBuffer"/>.</summary>
public readonly struct BufferSlice
{
    /// <summary>Creates a slice; a range outside the buffer throws naming both.</summary>
    public BufferSlice(NativeBuffer buffer, long byteOffset, long byteLength)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (byteOffset < 0 || byteLength < 0 || byteOffset + byteLength > buffer.ByteLength)
        {
            ThrowOutOfRange(buffer, byteOffset, byteLength);
        }

        Buffer = buffer;
        ByteOffset = byteOffset;
        ByteLength = byteLength;
    }

    /// <summary>The buffer the slice belongs to.</summary>
    public NativeBuffer Buffer { get; }

    /// <summary>The start of the slice within the buffer.</summary>
    public long ByteOffset { get; }

    /// <summary>The slice's length in bytes.</summary>
    public long ByteLength { get; }

    /// <summary>The slice's start address.</summary>
    public nint Address => Buffer.Address + (nint)ByteOffset;

    /// <summary>Where the memory lives.</summary>
    public MemoryLocation Location => Buffer.Location;

    /// <summary>A sub-range of this slice.</summary>
    public BufferSlice Slice(long byteOffset, long byteLength)
    {
        if (byteOffset < 0 || byteLength < 0 || byteOffset + byteLength > ByteLength)
        {
            ThrowOutOfRange(Buffer, ByteOffset + byteOffset, byteLength);
        }

        return new BufferSlice(Buffer, ByteOffset + byteOffset, byteLength);
    }

    /// <summary>A host view of the slice; only valid for host-addressable memory.</summary>
    public unsafe Span<T> AsSpan<T>() where T : unmanaged
    {
        if (!Buffer.IsHostAddressable)
        {
            ThrowNotHostAddressable(Buffer, ByteOffset, ByteLength);
        }

        return new((void*)Address, checked((int)(ByteLength / Unsafe.SizeOf<T>())));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotHostAddressable(NativeBuffer buffer, long offset, long length) =>
        throw new InvalidOperationException(
            $"Bytes [{offset}, {offset + length}) of a {buffer.ByteLength}-byte {buffer.Location} buffer are not host memory; "
            + "a host view would dereference a device address. Copy them to a host buffer first.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOutOfRange(NativeBuffer buffer, long offset, long length) =>
        throw new ArgumentOutOfRangeException(
            nameof(offset),
            $"Byte range [{offset}, {offset + length}) is outside the {buffer.ByteLength}-byte {buffer.Location} buffer.");
}
