using Elixir.Interop;
using Elixir.Memory;

namespace Elixir.Cuda;

/// <summary>A CUDA event. Ordering events skip timing (cheaper); timed events serve the benchmarks.</summary>
internal sealed class CudaEvent : IEvent, ICompletion
{
    private readonly CudaDevice _device;
    private readonly HostWait _waits;
    private readonly CudaEventHandle _handle;

    internal CudaEvent(CudaDevice device, HostWait waits, bool timed = false)
    {
        _device = device;
        _waits = waits;
        device.MakeCurrent();
        uint flags = timed ? CudaDriver.CU_EVENT_DEFAULT : CudaDriver.CU_EVENT_DISABLE_TIMING;
        CudaDriver.cuEventCreate(out nint cudaEvent, flags).ThrowIfFailed();
        _handle = new CudaEventHandle(device.Lifetime, cudaEvent);
    }

    internal nint Handle => _handle.DangerousGetHandle();

    /// <inheritdoc/>
    public bool IsComplete
    {
        get
        {
            _device.MakeCurrent();
            CUresult result = CudaDriver.cuEventQuery(Handle);
            if (result == CUresult.CUDA_ERROR_NOT_READY)
            {
                return false;
            }

            result.ThrowIfFailed();
            return true;
        }
    }

    /// <summary>
    /// Blocks until the event completes. While a communicator is attached to the backend the wait polls through
    /// <see cref="HostWait"/>, so a failed or stalled peer ends it with an exception; otherwise it blocks in the driver.
    /// </summary>
    public void Synchronize()
    {
        if (_waits.HasCollectives)
        {
            _waits.For(this);
            return;
        }

        _device.MakeCurrent();
        CudaDriver.cuEventSynchronize(Handle).ThrowIfFailed();
    }

    /// <summary>Milliseconds between <paramref name="start"/> and this event; both must be timed and complete.</summary>
    internal float MillisecondsSince(CudaEvent start)
    {
        _device.MakeCurrent();
        CudaDriver.cuEventElapsedTime(out float milliseconds, start.Handle, Handle).ThrowIfFailed();
        return milliseconds;
    }

    internal static CudaEvent From(IEvent marker) => marker as CudaEvent
        ?? throw new ArgumentException($"A {marker.GetType().Name} cannot be recorded on a CUDA stream; use the CUDA backend's events.", nameof(marker));

    /// <inheritdoc/>
    public void Dispose() => _handle.Dispose();
}
