using System.Runtime.InteropServices;
using Elixir.Memory;

namespace Elixir.Memory.Cuda;

/// <summary>A device or pinned host allocation of a <see cref="CudaMemoryBackend"/>.</summary>
internal sealed class CudaBuffer : NativeBuffer
{
    private readonly SafeHandle _memory;
    private readonly CudaMemoryBackend _owner;
    private readonly nint _address;

    internal CudaBuffer(CudaMemoryBackend owner, SafeHandle memory, long byteLength, MemoryLocation location, MemoryCategory category)
        : base(byteLength, location, category)
    {
        _owner = owner;
        _memory = memory;
        _address = _memory.DangerousGetHandle();
    }

    /// <inheritdoc/>
    public override nint Address => _address;

    /// <inheritdoc/>
    public override bool IsHostAddressable => Location == MemoryLocation.Host;

    /// <inheritdoc/>
    public override bool IsDisposed => _memory.IsClosed;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_memory.IsClosed)
        {
            _owner.MakeCurrent();
            _owner.BeforeFree();
            try
            {
                _memory.Dispose();
            }
            finally
            {
                // Counted as freed even when the driver refused: the handle is closed and never freed again.
                _owner.OnFreed(this);
            }
        }
    }
}
