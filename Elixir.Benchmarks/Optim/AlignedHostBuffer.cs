using System.Runtime.InteropServices;
using Elixir.Memory;

namespace Elixir.Benchmarks.Optim;

/// <summary>Zeroed, 64-byte aligned native host memory for kernel benchmarks.</summary>
internal sealed unsafe class AlignedHostBuffer : NativeBuffer
{
    private void* _memory;

    public AlignedHostBuffer(long byteLength)
        : base(byteLength, MemoryLocation.Host)
    {
        _memory = NativeMemory.AlignedAlloc((nuint)byteLength, 64);
        NativeMemory.Clear(_memory, (nuint)byteLength);
    }

    public override nint Address => (nint)_memory;

    public override bool IsDisposed => _memory == null;

    protected override void Dispose(bool disposing)
    {
        NativeMemory.AlignedFree(_memory);
        _memory = null;
    }
}
