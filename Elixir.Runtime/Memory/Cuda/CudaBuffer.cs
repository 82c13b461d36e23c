using System.Runtime.InteropServices;
using Elixir.Memory;

namespace Elixir.Memory.Cuda;

/// <summary>A device or pinned host allocation of a <see cref="CudaMemoryBackend"/>.</summary>
internal sealed class CudaBuffer : NativeBuffer
{
    private readonly SafeHandle memory;
    private readonly CudaMemoryBackend owner;
    private readonly nint address;

    internal CudaBuffer(CudaMemoryBackend owner, SafeHandle memory, long byteLength, MemoryLocation location)
        : base(byteLength, location)
    {
        this.owner = owner;
        this.memory = memory;
        address = memory.DangerousGetHandle();
    }

    /// <inheritdoc/>
    public override nint Address => address;

    /// <inheritdoc/>
    public override bool IsHostAddressable => Location == MemoryLocation.Host;

    /// <inheritdoc/>
    public override bool IsDisposed => memory.IsClosed;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !memory.IsClosed)
        {
            owner.MakeCurrent();
            owner.BeforeFree();
            memory.Dispose();
            owner.OnFreed(this);
        }
    }
}
