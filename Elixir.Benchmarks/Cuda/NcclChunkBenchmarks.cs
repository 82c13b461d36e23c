using BenchmarkDotNet.Attributes;
using Elixir.Collectives;
using Elixir.Collectives.Nccl;
using Elixir.Cuda;
using Elixir.Interop;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Benchmarks.Cuda;

/// <summary>A chunk's gather and averaged reduce through <see cref="NcclCommunicator"/> (1 rank) against the raw NCCL calls.</summary>
[Config(typeof(GpuBenchmarkConfig))]
public class NcclChunkBenchmarks
{
    private GpuFixture gpu = null!;
    private NcclCommunicator comm = null!;
    private NativeBuffer shard = null!, chunk = null!;
    private nint rawComm;

    [Params(32 << 20)]
    public int ChunkBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        gpu = new GpuFixture();
        comm = NcclCommunicator.CreateAll([gpu.Backend])[0];
        shard = gpu.Backend.Allocate(ChunkBytes, MemoryLocation.Device);
        chunk = gpu.Backend.Allocate(ChunkBytes, MemoryLocation.Device);
        int device = gpu.Device.Ordinal;
        unsafe
        {
            nint handle;
            Nccl.ncclCommInitAll(&handle, 1, &device).ThrowIfFailed();
            rawComm = handle;
        }
    }

    [Benchmark(Baseline = true)]
    public void RawNcclGatherAndReduce()
    {
        nint stream = gpu.Backend.StreamHandle(null);
        var count = (nuint)(ChunkBytes / 2);
        Nccl.ncclAllGather(shard.Address, chunk.Address, count, ncclDataType_t.ncclBfloat16, rawComm, stream).ThrowIfFailed();
        Nccl.ncclReduceScatter(chunk.Address, shard.Address, count, ncclDataType_t.ncclBfloat16, ncclRedOp_t.ncclAvg, rawComm, stream).ThrowIfFailed();
        gpu.Backend.DefaultStream.Synchronize();
    }

    [Benchmark]
    public void CommunicatorGatherAndReduce()
    {
        comm.AllGather(shard.All, chunk.All, DType.BFloat16);
        comm.ReduceScatter(chunk.All, shard.All, DType.BFloat16, ReduceOp.Average);
        gpu.Backend.DefaultStream.Synchronize();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Nccl.ncclCommDestroy(rawComm).ThrowIfFailed();
        comm.Dispose();
        shard.Dispose();
        chunk.Dispose();
        gpu.Dispose();
    }
}
