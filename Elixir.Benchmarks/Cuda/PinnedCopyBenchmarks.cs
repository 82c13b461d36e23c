using BenchmarkDotNet.Attributes;
using Elixir.Interop;
using Elixir.Memory;

namespace Elixir.Benchmarks.Cuda;

/// <summary>Host↔device copies of pinned shards through the backend (async on a stream) against a plain <c>cuMemcpy</c>.</summary>
[Config(typeof(GpuBenchmarkConfig))]
public class PinnedCopyBenchmarks
{
    private GpuFixture gpu = null!;
    private NativeBuffer host = null!, device = null!;

    [Params(64 << 20)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        gpu = new GpuFixture();
        host = gpu.Backend.Allocate(Bytes, MemoryLocation.Host);
        device = gpu.Backend.Allocate(Bytes, MemoryLocation.Device);
    }

    [Benchmark(Baseline = true)]
    public void PlainCuMemcpyRoundTrip()
    {
        gpu.Device.MakeCurrent();
        CudaDriver.cuMemcpyHtoD((ulong)device.Address, host.Address, (nuint)Bytes).ThrowIfFailed();
        CudaDriver.cuMemcpyDtoH(host.Address, (ulong)device.Address, (nuint)Bytes).ThrowIfFailed();
    }

    [Benchmark]
    public void BackendCopyRoundTrip()
    {
        gpu.Backend.Copy(device.All, host.All);
        gpu.Backend.Copy(host.All, device.All);
        gpu.Backend.DefaultStream.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        host.Dispose();
        device.Dispose();
        gpu.Dispose();
    }
}
