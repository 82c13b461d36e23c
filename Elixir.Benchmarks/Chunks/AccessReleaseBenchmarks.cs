using BenchmarkDotNet.Attributes;
using Elixir.Chunks;
using Elixir.Collectives.Host;
using Elixir.Kernels.Host;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Memory.Host;
using Elixir.Numerics;
using Elixir.Samples.Layouts;

namespace Elixir.Benchmarks.Chunks;

/// <summary>
/// Gathering and scattering one 64 MiB fp32 chunk on 1, 2 and 4 in-process ranks, against a plain copy of the
/// same 64 MiB measured in the same run. The ranks live on persistent threads; each invocation signals them
/// to do one access+release and waits for all of them.
/// </summary>
[MemoryDiagnoser]
public class AccessReleaseBenchmarks
{
    private const long ChunkElements = 16L << 20;

    private readonly HostMemoryBackend _backend = new();
    private NativeBuffer _from = null!;
    private NativeBuffer _to = null!;
    private Barrier _start = null!;
    private Barrier _done = null!;
    private Thread _cluster = null!;
    private volatile bool _stop;

    [Params(1, 2, 4)]
    public int Ranks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _from = _backend.Allocate(ChunkElements * sizeof(float), MemoryLocation.Host);
        _to = _backend.Allocate(ChunkElements * sizeof(float), MemoryLocation.Host);
        _backend.Fill(_from.All, 1);
        _start = new Barrier(Ranks + 1);
        _done = new Barrier(Ranks + 1);
        _stop = false;
        _cluster = new Thread(() => LocalCluster.Run(Ranks, RankLoop));
        _cluster.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stop = true;
        _start.SignalAndWait();
        _cluster.Join();
        _start.Dispose();
        _done.Dispose();
        _from.Dispose();
        _to.Dispose();
    }

    [Benchmark(Baseline = true, Description = "copy 64 MiB")]
    public void Copy() => _backend.Copy(_to.All, _from.All);

    [Benchmark(Description = "access+release 64 MiB")]
    public void AccessRelease()
    {
        _start.SignalAndWait();
        _done.SignalAndWait();
    }

    private void RankLoop(HostCommunicator comm)
    {
        var table = Gpt2Block.CreateTable(new LayoutDimensions(("C", 1024)));
        var binding = new LayoutBinding(table);
        var counter = Gpt2Block.CreateStateCounter();
        using var group = new ChunkGroup(new RCache(_backend, $"rank{comm.Rank}", ChunkElements, DType.Float32, 1), _backend, comm, new HostKernels());
        var chunk = group.OpenChunk(ChunkElements, DType.Float32, MemoryLocation.Device);
        for (int i = 0; i < table.Count; i++)
        {
            chunk.Append(binding, counter, i);
        }

        group.CloseChunk(chunk);
        while (true)
        {
            _start.SignalAndWait();
            if (_stop)
            {
                return;
            }

            group.Gather(chunk);
            group.Scatter(chunk);
            _done.SignalAndWait();
        }
    }
}
