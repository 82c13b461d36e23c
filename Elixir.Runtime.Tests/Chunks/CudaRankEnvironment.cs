using System.Diagnostics;
using Elixir.Collectives.Nccl;
using Elixir.Cuda;
using Elixir.Runtime.Tests.Cuda;

namespace Elixir.Tests.Chunks;

/// <summary>
/// One GPU per rank with checked NCCL communicators, each rank on its own thread. Skips the test, with the
/// reason, when fewer devices are visible than ranks are asked for (NCCL cannot put two ranks on one device).
/// </summary>
internal sealed class CudaRankEnvironment : RankEnvironment
{
    // A rank whose assertion fails stops calling collectives and NCCL leaves its peers waiting; the run then
    // reports the failure once this much time has passed instead of hanging the test.
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    private int liveBuffers;

    public override int LiveBuffers => liveBuffers;

    public override TResult[] Run<TResult>(int worldSize, Func<RankContext, TResult> body)
    {
        GpuRequirement.NcclRanks(worldSize);
        GpuSession[] gpus = [.. Enumerable.Range(0, worldSize).Select(ordinal => new GpuSession(GpuRequirement.DeviceOf(ordinal)))];
        NcclCommunicator[] comms = NcclCommunicator.CreateAll([.. gpus.Select(gpu => gpu.Backend)], checkedMode: true);

        // The kernels' and communicators' own scratch buffers live as long as they do.
        int[] ownBuffers = [.. gpus.Select(gpu => gpu.Backend.LiveBuffers)];
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

        var clock = Stopwatch.StartNew();
        int[] stuck = [.. Enumerable.Range(0, worldSize).Where(rank => !threads[rank].Join(Remaining(clock)))];
        Exception[] failures = [.. errors.OfType<Exception>()];
        if (stuck.Length > 0)
        {
            // The stuck threads still use their devices and communicators, so those are left undisposed.
            throw new AggregateException(
                $"GPU ranks {string.Join(", ", stuck)} of {worldSize} did not finish within {RunTimeout}.", failures);
        }

        liveBuffers = gpus.Select((gpu, rank) => gpu.Backend.LiveBuffers - ownBuffers[rank]).Sum();
        foreach (var comm in comms)
        {
            comm.Dispose();
        }

        foreach (var gpu in gpus)
        {
            gpu.Dispose();
        }

        return failures.Length > 0 ? throw new AggregateException(failures) : results;
    }

    private static TimeSpan Remaining(Stopwatch clock) =>
        clock.Elapsed < RunTimeout ? RunTimeout - clock.Elapsed : TimeSpan.Zero;
}
