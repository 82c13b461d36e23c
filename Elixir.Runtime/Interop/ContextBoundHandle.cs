using System.Runtime.InteropServices;

namespace Elixir.Interop;

/// <summary>
/// A driver object that belongs to one lifetime of a context. Release makes that context current first, because
/// the finalizer thread (or any thread other than the creator) has no current context of its own, and frees
/// nothing once the lifetime has ended: the context's destruction freed the object, and the same value may by now
/// name another live object of a re-created context.
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

    protected sealed override bool ReleaseHandle() =>
        !Lifetime.IsAlive || (Lifetime.TryMakeCurrent() && Destroy(handle) == CUresult.CUDA_SUCCESS);

    protected abstract CUresult Destroy(nint value);
}
