using System.Runtime.InteropServices;

namespace Elixir.Generators.Tests.Behaviour;

/// <summary>A pinned managed byte array whose address can back a host binding.</summary>
internal sealed class PinnedBuffer
{
    private readonly byte[] _bytes;

    public PinnedBuffer(long length) => _bytes = GC.AllocateArray<byte>(checked((int)length), pinned: true);

    public nint Address => Marshal.UnsafeAddrOfPinnedArrayElement(_bytes, 0);

    public Span<byte> Bytes => _bytes;

    /// <summary>The element at element index <paramref name="index"/> of a tensor starting at <paramref name="byteOffset"/>.</summary>
    public T Read<T>(long byteOffset, int index)
        where T : unmanaged => MemoryMarshal.Read<T>(_bytes.AsSpan(checked((int)byteOffset + (index * Marshal.SizeOf<T>()))));
}
