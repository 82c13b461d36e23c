using System.Runtime.InteropServices;

namespace Elixir.Interop;

/// <summary>
/// A driver object that belongs to one lifetime of a context. Release makes that context current first, because
/// the finalizer thread (or any thread other than the creator) has no current context of its own, and frees
/// nothing once the lifetime has ended: the context's destruction freed the object, and the same value may by now
/// name another live object of a re-created context. An explicit <see cref="SafeHandle.Dispose()"/> throws a
/// <see cref="Cuda.CudaException"/> when the driver refuses to free; a finalizer never throws (the failure is lost).
/// </summary>
internal abstract class ContextBoundHandle : SafeHandle
{
    protected ContextBoundHandle(ContextLifetime lifetime, nint handle)
        : base(0, ownsHandle: true)
    {
        Lifetime = lifetime;
        SetHandle(handle);
    }

    internal ContextLifetime Lifetime { get; }

    internal nint Context => Lifetime.Context;

    public override bool IsInvalid => handle == 0;

    // The failure of the last release, for an explicit Dispose to throw; ReleaseHandle itself must not throw.
    private (CUresult Status, string Call)? _failure;

    protected sealed override bool ReleaseHandle()
    {
        if (!Lifetime.IsAlive)
        {
            return true;
        }

        CUresult status = Lifetime.MakeCurrent();
        string call = "cuCtxSetCurrent";
        if (status == CUresult.CUDA_SUCCESS)
        {
            status = Destroy(handle);
            call = $"{DestroyCall}(0x{handle:x})";
        }

        _failure = status == CUresult.CUDA_SUCCESS ? null : (status, call);
        return _failure is null;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _failure is { } failure)
        {
            _failure = null;
            failure.Status.ThrowIfFailed(failure.Call);
        }
    }

    /// <summary>The driver call that frees the object, named in the exception when it fails.</summary>
    protected abstract string DestroyCall { get; }

    protected abstract CUresult Destroy(nint value);
}
