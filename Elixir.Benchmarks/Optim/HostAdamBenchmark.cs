using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Elixir.Kernels;
using Elixir.Kernels.Host;
using Elixir.Numerics;

namespace Elixir.Benchmarks.Optim;

/// <summary>
/// Host Adam against the memory-bandwidth bound measured in the same run. Per element Adam moves
/// <see cref="AdamBytesPerElement"/> bytes: fp32 master, exp_avg and exp_avg_sq read and written (24), an fp16
/// gradient read (2) and an fp16 parameter written (2). The baseline is a STREAM triad <c>a = b + s·c</c> over fp32
/// arrays sized so it moves the same total bytes (12 per triad element), so the Ratio column is
/// time(Adam) / time(bound) and Adam reaches <c>1 / Ratio</c> of the bandwidth bound.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class HostAdamBenchmark
{
    /// <summary>Bytes Adam reads and writes per element in this configuration.</summary>
    public const int AdamBytesPerElement = 28;

    private const int TriadBytesPerElement = 12;
    private readonly HostKernels _kernels = new();
    private AlignedHostBuffer[] _buffers = [];
    private AdamParameters _parameters;
    private int _triadLength;

    /// <summary>Adam elements per call: large enough that no cache level holds the working set.</summary>
    [Params(8 * 1024 * 1024)]
    public int Elements { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        long n = Elements;
        _triadLength = checked((int)(n * AdamBytesPerElement / TriadBytesPerElement));
        _buffers =
        [
            new(n * 4), new(n * 4), new(n * 4), new(n * 2), new(n * 2),
            new(_triadLength * 4L), new(_triadLength * 4L), new(_triadLength * 4L),
        ];
        _buffers[0].All.AsSpan<float>().Fill(0.5f);
        _buffers[3].All.AsSpan<Half>().Fill((Half)0.25f);
        _buffers[6].All.AsSpan<float>().Fill(1f);
        _buffers[7].All.AsSpan<float>().Fill(2f);
        _parameters = new AdamParameters(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, Decoupled: true, Step: 10, GradientScale: 1f / 1024);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (AlignedHostBuffer buffer in _buffers)
        {
            buffer.Dispose();
        }
    }

    /// <summary>The bandwidth bound: a triad moving Elements × 28 bytes.</summary>
    [Benchmark(Baseline = true)]
    public void Triad() =>
        TensorPrimitives.MultiplyAdd(
            (ReadOnlySpan<float>)_buffers[7].All.AsSpan<float>(), 3f, _buffers[6].All.AsSpan<float>(), _buffers[5].All.AsSpan<float>());

    /// <summary>One fused AdamW step over Elements fp32 master values with fp16 gradients and parameters.</summary>
    [Benchmark]
    public void Adam() =>
        _kernels.Adam(_buffers[0].All, _buffers[1].All, _buffers[2].All, _buffers[3].All, DType.Float16,
            _buffers[4].All, DType.Float16, _parameters);
}
