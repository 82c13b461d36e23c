using Elixir.Collectives;
using Elixir.Collectives.Nccl;
using Elixir.Cuda;
using Elixir.Kernels;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Runtime.Tests.Cuda;

[Trait("Category", GpuRequirement.Category)]
public sealed class GpuSteadyStateAllocationTests
{
    [Fact]
    public void Copies_kernels_and_collectives_allocate_nothing_after_warm_up()
    {
        GpuRequirement.Nccl();
        using var gpu = new GpuSession();
        NcclCommunicator comm = NcclCommunicator.CreateAll([gpu.Backend], checkedMode: true)[0];
        using (comm)
        {
            using NativeBuffer master = gpu.Upload<float>(new float[1024]);
            using NativeBuffer moments = gpu.Upload<float>(new float[2048]);
            using NativeBuffer gradient = gpu.Upload<float>(new float[1024]);
            using NativeBuffer parameter = gpu.Backend.Allocate(2048, MemoryLocation.Device);
            using NativeBuffer host = gpu.Backend.Allocate(4096, MemoryLocation.Host);
            using IStream side = gpu.Backend.CreateStream();
            using IEvent done = gpu.Backend.CreateEvent();
            var hyper = new AdamParameters(1e-3f, 0.9f, 0.999f, 1e-8f, 0, true, 1, 1);

            void Step()
            {
                gpu.Backend.Copy(host.All, master.All, side);
                side.Record(done);
                gpu.Backend.DefaultStream.Wait(done);
                gpu.Kernels.Adam(master.All, moments.Slice(0, 4096), moments.Slice(4096, 4096), gradient.All, DType.Float32, parameter.All, DType.BFloat16, hyper);
                gpu.Kernels.Scale(gradient.All, DType.Float32, 0.5f);
                _ = gpu.Kernels.HasNonFinite(gradient.All, DType.Float32);
                _ = gpu.Kernels.SumOfSquares(gradient.All, DType.Float32);
                comm.ReduceScatter(gradient.All, gradient.All, DType.Float32, ReduceOp.Average);
                _ = comm.AllReduce(1.0, ReduceOp.Max);
                gpu.Backend.DefaultStream.Synchronize();
            }

            Step();
            long before = GC.GetAllocatedBytesForCurrentThread();
            Step();
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }
}
