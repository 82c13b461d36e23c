using System.Runtime.InteropServices;

namespace Elixir.Interop;

/// <summary>
/// A driver object that belongs to a context. Release makes that context current first, because the
/// finalizer thread (or any thread other than the creator) has no current context of its own.
/// </summary>
internal abstract class ContextBoundHandle : SafeHandle
{
    protected ContextBoundHandle(nint context, nint handle)
        : base(0, ownsHandle: true)
    {
        Context = context;
        SetHandle(handle);
    }

    internal nint Context { get; }

    public override bool IsInvalid => handle == 0;

    protected sealed override bool ReleaseHandle() =>
        CudaDriver.cuCtxSetCurrent(Context) == CUresult.CUDA_SUCCESS && Destroy(handle) == CUresult.CUDA_SUCCESS;

    protected abstract CUresult Destroy(nint value);
}
