using System.Runtime.InteropServices;

namespace Elixir.Memory.Host;

/// <summary>Owns one 64-byte-aligned native allocation; frees it exactly once, even from the finalizer.</summary>
internal sealed unsafe class HostMemoryHandle : SafeHandle
{
    private readonly HostMemoryBackend _backend;
    private readonly long _byteLength;
    private readonly MemoryLocation _location;
    private readonly MemoryCategory _category;

    public HostMemoryHandle(HostMemoryBackend backend, long byteLength, MemoryLocation location, MemoryCategory category)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        _backend = backend;
        _byteLength = byteLength;
        _location = location;
        _category = category;
        SetHandle((nint)NativeMemory.AlignedAlloc((nuint)byteLength, HostMemoryBackend.Alignment));
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        nint address = handle;
        handle = IntPtr.Zero;
        NativeMemory.AlignedFree((void*)address);
        _backend.OnFreed(_byteLength, _location, _category);
        return true;
    }
}
