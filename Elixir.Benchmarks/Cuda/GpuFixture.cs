using Elixir.Cuda;
using Elixir.Memory.Cuda;

namespace Elixir.Benchmarks.Cuda;

/// <summary>Device 0 with its backend, or a clear refusal where there is none.</summary>
internal sealed class GpuFixture : IDisposable
{
    internal GpuFixture()
    {
        if (CudaPlatform.DeviceCount == 0)
        {
            throw new InvalidOperationException($"The CUDA benchmarks need a GPU: {CudaPlatform.UnavailableReason}");
        }

        Device = CudaDevice.Open(0);
        Backend = new CudaMemoryBackend(Device);
    }

    internal CudaDevice Device { get; }

    internal CudaMemoryBackend Backend { get; }

    public void Dispose()
    {
        Backend.Dispose();
        Device.Dispose();
    }
}
