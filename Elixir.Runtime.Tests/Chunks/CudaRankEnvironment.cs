using Elixir.Cuda;
using Elixir.Runtime.Tests.Cuda;

namespace Elixir.Tests.Chunks;

/// <summary>
/// One GPU per rank with checked NCCL communicators, each rank on its own thread. Skips the test, with the
/// reason, when fewer devices are visible than ranks are asked for (NCCL cannot put two ranks on one device).
/// </summary>
internal sealed class CudaRankEnvironment : RankEnvironment
{
    // CudaKernels keeps a device and a host scratch buffer for its reductions.
    private const int KernelScratchBuffers = 2;

    private int liveBuffers;

    public override int LiveBuffers => liveBuffers;

    public override TResult[] Run<TResult>(int worldSize, Func<RankContext, TResult> body)
    {
        GpuRequirement.Nccl(worldSize);
        GpuSession[] gpus = [.. Enumerable.Range(0, worldSize).Select(ordinal => new GpuSession(ordinal))];
        NcclCommunicator[] comms = NcclCommunicator.CreateAll([.. gpus.Select(gpu => gpu.Backend)], checkedMode: true);
        try
        {
            var results = new TResult[worldSize];
            var errors = new Exception?[worldSize];
            Thread[] threads = [.. Enumerable.Range(0, worldSize).Select(rank => new Thread(() =>
            {
                try
                {
                    results[rank] = body(new RankContext(gpus[rank].Backend, gpus[rank].Kernels, comms[rank]));
                    gpus[rank].Backend.DefaultStream.Synchronize();
                }
                catch (Exception error)
                {
                    errors[rank] = error;
                }
            }) { Name = $"gpu rank {rank}", IsBackground = true })];
            foreach (var thread in threads)
            {
                thread.Start();
            }

            foreach (var thread in threads)
            {
                thread.Join();
            }

            liveBuffers = gpus.Sum(gpu => gpu.Backend.LiveBuffers - KernelScratchBuffers);
            var failures = errors.OfType<Exception>().ToArray();
            if (failures.Length > 0)
            {
                throw new AggregateException(failures);
            }

            return results;
        }
        finally
        {
            foreach (var comm in comms)
            {
                comm.Dispose();
            }

            foreach (var gpu in gpus)
            {
                gpu.Dispose();
            }
        }
    }
}
