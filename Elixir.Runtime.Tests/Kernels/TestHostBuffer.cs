using System.Runtime.InteropServices;
using Elixir.Memory;

namespace Elixir.Runtime.Tests.Kernels;

/// <summary>Aligned native host memory for kernel tests, independent of any memory backend.</summary>
internal sealed unsafe class TestHostBuffer : NativeBuffer
{
    private void* _memory;

    private TestHostBuffer(long byteLength)
        : base(byteLength, MemoryLocation.Host)
    {
        _memory = NativeMemory.AlignedAlloc((nuint)Math.Max(byteLength, 1), 64);
        NativeMemory.Clear(_memory, (nuint)Math.Max(byteLength, 1));
    }

    public override nint Address => (nint)_memory;

    public override bool IsDisposed => _memory == null;

    public static TestHostBuffer Of<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        var buffer = new TestHostBuffer((long)values.Length * sizeof(T));
        values.CopyTo(buffer.All.AsSpan<T>());
        return buffer;
    }

    public static TestHostBuffer Zeroed(long byteLength) => new(byteLength);

    public T[] ToArray<T>() where T : unmanaged => All.AsSpan<T>().ToArray();

    protected override void Dispose(bool disposing)
    {
        NativeMemory.AlignedFree(_memory);
        _memory = null;
    }
}
