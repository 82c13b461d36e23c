using Elixir.Interop;
using Elixir.Memory;

namespace Elixir.Cuda;

/// <summary>A non-blocking CUDA stream: it orders only against events, never implicitly against the NULL stream.</summary>
internal sealed class CudaStream : IStream
{
    private readonly CudaDevice device;
    private readonly CudaStreamHandle handle;

    internal CudaStream(CudaDevice device)
    {
        this.device = device;
        device.MakeCurrent();
        CudaDriver.cuStreamCreate(out nint stream, CudaDriver.CU_STREAM_NON_BLOCKING).ThrowIfFailed();
        handle = new CudaStreamHandle(device.Context, stream);
    }

    internal nint Handle => handle.DangerousGetHandle();

    /// <inheritdoc/>
    public void Synchronize()
    {
        device.MakeCurrent();
        CudaDriver.cuStreamSynchronize(Handle).ThrowIfFailed();
    }

    /// <inheritdoc/>
    public void Record(IEvent marker)
    {
        device.MakeCurrent();
        CudaDriver.cuEventRecord(CudaEvent.From(marker).Handle, Handle).ThrowIfFailed();
    }

    /// <inheritdoc/>
    public void Wait(IEvent marker)
    {
        device.MakeCurrent();
        CudaDriver.cuStreamWaitEvent(Handle, CudaEvent.From(marker).Handle, 0).ThrowIfFailed();
    }

    /// <summary>The CUDA stream behind <paramref name="stream"/>; a host stream here is a programming error.</summary>
    internal static CudaStream From(IStream stream) => stream as CudaStream
        ?? throw new ArgumentException($"A {stream.GetType().Name} cannot order work on a CUDA device; use the CUDA backend's streams.", nameof(stream));

    /// <inheritdoc/>
    public void Dispose() => handle.Dispose();
}
