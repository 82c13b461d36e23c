using Elixir.Collectives;
using Elixir.Collectives.Nccl;
using Elixir.Cuda;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Runtime.Tests.Cuda;

[Trait("Category", GpuRequirement.Category)]
public sealed class NcclCommunicatorTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Gather_average_reduce_scatter_all_reduce_and_broadcast_match_a_reference(int ranks)
    {
        GpuRequirement.NcclRanks(ranks);
        const int part = 6;
        GpuSession[] gpus = [.. Enumerable.Range(0, ranks).Select(rank => new GpuSession(GpuRequirement.DeviceOf(rank)))];
        NcclCommunicator[] comms = NcclCommunicator.CreateAll([.. gpus.Select(g => g.Backend)], checkedMode: true);
        try
        {
            // Small integers: sums and averages over 1, 2 or 4 ranks are exact in fp32.
            static float Value(int rank, int i) => rank * 8 + i;
            RankThreads.Run(ranks, rank =>
            {
                GpuSession gpu = gpus[rank];
                NcclCommunicator comm = comms[rank];
                using NativeBuffer mine = gpu.Upload<float>([.. Enumerable.Range(0, part).Select(i => Value(rank, i))]);
                using NativeBuffer gathered = gpu.Backend.Allocate(part * ranks * 4, MemoryLocation.Device);
                comm.AllGather(mine.All, gathered.All, DType.Float32);
                Assert.Equal([.. Enumerable.Range(0, ranks).SelectMany(r => Enumerable.Range(0, part).Select(i => Value(r, i)))], gpu.Download<float>(gathered));

                using NativeBuffer averaged = gpu.Backend.Allocate(part * 4, MemoryLocation.Device);
                comm.ReduceScatter(gathered.All, averaged.All, DType.Float32, ReduceOp.Average);
                float[] expectedAverage = [.. Enumerable.Range(0, part).Select(i => Value(rank, i))];
                Assert.Equal(expectedAverage, gpu.Download<float>(averaged));

                comm.AllReduce(mine.All, mine.All, DType.Float32, ReduceOp.Sum);
                Assert.Equal([.. Enumerable.Range(0, part).Select(i => Enumerable.Range(0, ranks).Sum(r => Value(r, i)))], gpu.Download<float>(mine));

                using NativeBuffer broadcast = gpu.Upload<float>([.. Enumerable.Range(0, part).Select(i => Value(rank, i))]);
                comm.Broadcast(broadcast.All, DType.Float32, ranks - 1);
                Assert.Equal([.. Enumerable.Range(0, part).Select(i => Value(ranks - 1, i))], gpu.Download<float>(broadcast));

                Assert.Equal(ranks - 1, comm.AllReduce(rank, ReduceOp.Max));
                Assert.Equal(ranks * (ranks - 1) / 2.0, comm.AllReduce(rank, ReduceOp.Sum));
                comm.Barrier();
            });
        }
        finally
        {
            foreach (NcclCommunicator comm in comms)
            {
                comm.Dispose();
            }

            foreach (GpuSession gpu in gpus)
            {
                gpu.Dispose();
            }
        }
    }

    [Theory]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    public void Half_precision_average_reduce_scatter_on_one_rank_keeps_the_values(DType type)
    {
        GpuRequirement.Nccl();
        using var gpu = new GpuSession();
        NcclCommunicator comm = NcclCommunicator.CreateAll([gpu.Backend])[0];
        using (comm)
        {
            ushort[] bits = type == DType.Float16
                ? [.. new[] { 1f, -2.5f, 1024f, 0.125f }.Select(v => BitConverter.HalfToUInt16Bits((Half)v))]
                : [.. new[] { 1f, -2.5f, 1024f, 0.125f }.Select(ReferenceRounding.ToBFloat16Bits)];
            using NativeBuffer send = gpu.Upload<ushort>(bits);
            using NativeBuffer receive = gpu.Backend.Allocate(send.ByteLength, MemoryLocation.Device);

            comm.ReduceScatter(send.All, receive.All, type, ReduceOp.Average);

            Assert.Equal(bits, gpu.Download<ushort>(receive));
        }
    }

    [Fact]
    public void Mismatched_buffer_sizes_are_refused_before_any_call()
    {
        GpuRequirement.Nccl();
        using var gpu = new GpuSession();
        NcclCommunicator comm = NcclCommunicator.CreateAll([gpu.Backend])[0];
        using (comm)
        {
            using NativeBuffer send = gpu.Backend.Allocate(16, MemoryLocation.Device);
            using NativeBuffer receive = gpu.Backend.Allocate(12, MemoryLocation.Device);

            ArgumentException e = Assert.Throws<ArgumentException>(() => comm.AllGather(send.All, receive.All, DType.Float32));

            Assert.Equal("receive holds 12 bytes; it must hold WorldSize times send: 16 bytes. (Parameter 'receive')", e.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => comm.Broadcast(send.All, DType.Float32, 1));
        }
    }

    [Fact]
    public void Checked_mode_reports_ranks_that_call_different_collectives()
    {
        GpuRequirement.NcclRanks(2);
        GpuSession[] gpus = [new GpuSession(GpuRequirement.DeviceOf(0)), new GpuSession(GpuRequirement.DeviceOf(1))];
        NcclCommunicator[] comms = NcclCommunicator.CreateAll([.. gpus.Select(g => g.Backend)], checkedMode: true);
        try
        {
            var errors = new Exception?[2];
            RankThreads.Run(2, rank =>
            {
                using NativeBuffer buffer = gpus[rank].Backend.Allocate(rank == 0 ? 16 : 32, MemoryLocation.Device);
                errors[rank] = Record.Exception(() => comms[rank].Broadcast(buffer.All, DType.Float32, 0));
            });

            Assert.All(errors, e => Assert.Equal(
                "Collective mismatch: rank 1 called Broadcast of 8 x Float32 from rank 0 (#1) while rank 0 called Broadcast of 4 x Float32 from rank 0 (#1).",
                Assert.IsType<CollectiveMismatchException>(e).Message));
        }
        finally
        {
            foreach (NcclCommunicator comm in comms)
            {
                comm.Dispose();
            }

            foreach (GpuSession gpu in gpus)
            {
                gpu.Dispose();
            }
        }
    }
}
