namespace Elixir.Memory.Host;

/// <summary>A buffer of host memory made by <see cref="HostMemoryBackend"/>.</summary>
internal sealed class HostBuffer : NativeBuffer
{
    private readonly HostMemoryHandle _handle;

    public HostBuffer(HostMemoryHandle handle, long byteLength, MemoryLocation location, MemoryCategory category)
        : base(byteLength, location, category) => _handle = handle;

    public override nint Address => _handle.IsClosed ? 0 : _handle.DangerousGetHandle();

    public override bool IsDisposed => _handle.IsClosed;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _handle.Dispose();
        }
    }
}
