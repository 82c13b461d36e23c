using BenchmarkDotNet.Attributes;
using Elixir.Collectives;
using Elixir.Collectives.Host;
using Elixir.Memory;
using Elixir.Memory.Host;
using Elixir.Numerics;

namespace Elixir.Benchmarks.Collectives;

/// <summary>
/// The cost of checked collectives (fingerprints compared on every rank before data moves) as a ratio to the
/// unchecked calls: each invocation runs a cluster whose ranks do <see cref="Calls"/> small all-reduces, where
/// the fixed per-call cost the check adds weighs most. The Ratio column is the answer.
/// </summary>
[MemoryDiagnoser]
public class CheckedCollectiveBenchmarks
{
    private const int Calls = 512;
    private const int Elements = 256;

    private static readonly LocalClusterOptions s_unchecked = new() { Checked = false };
    private static readonly LocalClusterOptions s_checked = new() { Checked = true };

    private readonly HostMemoryBackend _backend = new();

    [Params(2, 4)]
    public int Ranks { get; set; }

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public void Unchecked() => Run(s_unchecked);

    [Benchmark(OperationsPerInvoke = Calls)]
    public void Checked() => Run(s_checked);

    private void Run(LocalClusterOptions options) => LocalCluster.Run(Ranks, communicator =>
    {
        using var buffer = _backend.Allocate(Elements * sizeof(float), MemoryLocation.Device);
        for (int i = 0; i < Calls; i++)
        {
            communicator.AllReduce(buffer.All, buffer.All, DType.Float32, ReduceOp.Sum);
        }
    }, options);
}
