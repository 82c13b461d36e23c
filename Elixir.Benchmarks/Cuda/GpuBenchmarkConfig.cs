using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Elixir.Benchmarks.Cuda;

/// <summary>
/// Runs in the benchmark process itself: the GPU machine has the self-contained runner but no .NET SDK to
/// build the usual per-benchmark child projects.
/// </summary>
internal sealed class GpuBenchmarkConfig : ManualConfig
{
    public GpuBenchmarkConfig() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
}
