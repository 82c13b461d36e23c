namespace Elixir.Interop;

/// <summary>
/// One lifetime of a device's primary context, from the retain that created it to the release that destroyed
/// it. The driver may hand out the same <c>CUcontext</c> value and the same addresses again after the context is
/// re-created, so a handle made in an ended lifetime must never free: its memory went with that context, and
/// its address may now belong to a live buffer of the new one.
/// </summary>
internal sealed class ContextLifetime(nint context, Func<nint, CUresult> setCurrent)
{
    private volatile bool _ended;

    internal nint Context => context;

    /// <summary>False once the context this lifetime stands for has been destroyed.</summary>
    internal bool IsAlive => !_ended;

    internal void End() => _ended = true;

    /// <summary>Makes the context current on the calling thread (a finalizer thread has none).</summary>
    internal CUresult MakeCurrent() => setCurrent(context);
}
