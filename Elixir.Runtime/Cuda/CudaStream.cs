using Elixir.Interop;
using Elixir.Memory;

namespace Elixir.Cuda;

/// <summary>A non-blocking CUDA stream: it orders only against events, never implicitly against the NULL stream.</summary>
internal sealed class CudaStream : IStream
{
    private readonly CudaDevice _device;
    private readonly CudaStreamHandle _handle;
    private readonly CudaEvent _drained;
    private readonly Action<CudaStream>? _disposed;

    internal CudaStream(CudaDevice device, HostWait waits, Action<CudaStream>? disposed = null)
    {
        _device = device;
        _disposed = disposed;
        device.MakeCurrent();
        CudaDriver.cuStreamCreate(out nint stream, CudaDriver.CU_STREAM_NON_BLOCKING).ThrowIfFailed();
        _handle = new CudaStreamHandle(device.Lifetime, stream);
        _drained = new CudaEvent(device, waits);
    }

    internal nint Handle => _handle.DangerousGetHandle();

    /// <summary>
    /// Blocks until all work queued on the stream has finished: an event recorded at the stream's end, waited
    /// for through the backend's <see cref="HostWait"/> (so queued collectives cannot hang the host).
    /// </summary>
    public void Synchronize()
    {
        _device.MakeCurrent();
        CudaDriver.cuEventRecord(_drained.Handle, Handle).ThrowIfFailed();
        _drained.Synchronize();
    }

    /// <inheritdoc/>
    public void Record(IEvent marker)
    {
        _device.MakeCurrent();
        CudaDriver.cuEventRecord(CudaEvent.From(marker).Handle, Handle).ThrowIfFailed();
    }

    /// <inheritdoc/>
    public void Wait(IEvent marker)
    {
        _device.MakeCurrent();
        CudaDriver.cuStreamWaitEvent(Handle, CudaEvent.From(marker).Handle, 0).ThrowIfFailed();
    }

    /// <summary>The CUDA stream behind <paramref name="stream"/>; a host stream here is a programming error.</summary>
    internal static CudaStream From(IStream stream) => stream as CudaStream
        ?? throw new ArgumentException($"A {stream.GetType().Name} cannot order work on a CUDA device; use the CUDA backend's streams.", nameof(stream));

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_handle.IsClosed)
        {
            _disposed?.Invoke(this);
            try
            {
                _handle.Dispose();
            }
            finally
            {
                _drained.Dispose();
            }
        }
    }
}
