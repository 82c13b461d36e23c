using BenchmarkDotNet.Attributes;
using Elixir.Cuda;
using Elixir.Kernels;
using Elixir.Kernels.Cuda;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Benchmarks.Cuda;

/// <summary>
/// The fused Adam kernel against a device-to-device copy moving the same bytes. Per element Adam reads master,
/// both moments and an fp32 gradient (16 bytes) and writes master, both moments and a bf16 parameter
/// (14 bytes); the baseline copies 15 bytes per element, which reads 15 and writes 15.
/// </summary>
[Config(typeof(GpuBenchmarkConfig))]
public class AdamKernelBenchmarks
{
    private GpuFixture gpu = null!;
    private CudaKernels kernels = null!;
    private NativeBuffer master = null!, expAvg = null!, expAvgSq = null!, gradient = null!, parameter = null!, copySource = null!, copyTarget = null!;
    private AdamParameters hyper;

    [Params(16 << 20)]
    public int Elements { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        gpu = new GpuFixture();
        kernels = new CudaKernels(gpu.Backend);
        NativeBuffer Zeroed(long bytes)
        {
            NativeBuffer buffer = gpu.Backend.Allocate(bytes, MemoryLocation.Device);
            gpu.Backend.Fill(buffer.All, 0);
            return buffer;
        }

        master = Zeroed(Elements * 4L);
        expAvg = Zeroed(Elements * 4L);
        expAvgSq = Zeroed(Elements * 4L);
        gradient = Zeroed(Elements * 4L);
        parameter = Zeroed(Elements * 2L);
        copySource = Zeroed(Elements * 15L);
        copyTarget = Zeroed(Elements * 15L);
        hyper = new AdamParameters(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, true, 10, 1f);
        gpu.Backend.DefaultStream.Synchronize();
    }

    [Benchmark(Baseline = true)]
    public void DeviceCopyOfTheSameBytes()
    {
        gpu.Backend.Copy(copyTarget.All, copySource.All);
        gpu.Backend.DefaultStream.Synchronize();
    }

    [Benchmark]
    public void FusedAdamW()
    {
        kernels.Adam(master.All, expAvg.All, expAvgSq.All, gradient.All, DType.Float32, parameter.All, DType.BFloat16, hyper);
        gpu.Backend.DefaultStream.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (NativeBuffer buffer in new[] { master, expAvg, expAvgSq, gradient, parameter, copySource, copyTarget })
        {
            buffer.Dispose();
        }

        kernels.Dispose();
        gpu.Dispose();
    }
}
