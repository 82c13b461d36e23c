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
/// The per-step bookkeeping of chunks: a tensor state transition (through the chunk and the generated counter)
/// and an rCache public block get/free, each against a plain 64-byte copy (one cache line) measured in the same run.
/// </summary>
[MemoryDiagnoser]
public class ChunkBookkeepingBenchmarks
{
    private readonly HostMemoryBackend _backend = new();
    private NativeBuffer _from = null!;
    private NativeBuffer _to = null!;
    private RCache _pool = null!;
    private ChunkGroup _group = null!;
    private Chunk _chunk = null!;

    [GlobalSetup]
    public void Setup()
    {
        _from = _backend.Allocate(64, MemoryLocation.Host);
        _to = _backend.Allocate(64, MemoryLocation.Host);
        _pool = new RCache(_backend, "bench", 1024, DType.Float32, 4);
        var cluster = new Thread(() => LocalCluster.Run(1, comm =>
        {
            var table = Gpt2Block.CreateTable(new LayoutDimensions(("C", 8)));
            var binding = new LayoutBinding(table);
            var counter = Gpt2Block.CreateStateCounter();
            _group = new ChunkGroup(new RCache(_backend, "group", 1024, DType.Float32, 1), _backend, comm, new HostKernels());
            _chunk = _group.OpenChunk(1024, DType.Float32, MemoryLocation.Device);
            _chunk.Append(binding, counter, 0);
            _group.CloseChunk(_chunk);
        }));
        cluster.Start();
        cluster.Join();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _group.Dispose();
        _pool.Dispose();
        _from.Dispose();
        _to.Dispose();
    }

    [Benchmark(Baseline = true, Description = "copy 64 B")]
    public void Copy64Bytes() => _backend.Copy(_to.All, _from.All);

    [Benchmark(Description = "state Hold->Compute->Hold")]
    public void StateTransition()
    {
        _chunk.TransitionTensor(0, TensorState.Compute);
        _chunk.TransitionTensor(0, TensorState.Hold);
    }

    [Benchmark(Description = "rCache get+free")]
    public void PoolGetFree() => _pool.FreePublicBlock(_pool.GetPublicBlock());
}
