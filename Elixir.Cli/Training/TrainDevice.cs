using Elixir.Collectives.Nccl;
using Elixir.Cuda;

namespace Elixir.Cli.Training;

/// <summary>
/// Where <c>elixir train</c> computes: <c>host</c> (in-process ranks, SIMD kernels) or <c>cuda</c> (GPUs, NCCL).
/// Checked before anything is built, so a machine without a GPU, or a host run started as one rank of a launched
/// job, gets one line saying so.
/// </summary>
internal static class TrainDevice
{
    internal const string Host = "host";
    internal const string Cuda = "cuda";

    /// <summary>Where the ranks of <paramref name="settings"/> run, for the header: backend, ranks and GPUs.</summary>
    internal static string Describe(TrainSettings settings, DistributedEnvironment? job)
    {
        string ranks = $"{settings.Ranks} in-process rank{(settings.Ranks == 1 ? "" : "s")}";
        if (settings.Device == Host)
        {
            return $"host backend, {ranks}";
        }

        if (job is not null)
        {
            return $"CUDA, rank {job.Rank} of {job.WorldSize} on GPU {job.LocalRank}";
        }

        int gpus = Math.Min(settings.Ranks, CudaPlatform.DeviceCount);
        return $"CUDA, {ranks} on {(gpus == 1 ? "GPU 0" : $"GPUs 0-{gpus - 1}")}";
    }

    /// <summary>
    /// The settings as this process runs them: under a launched <paramref name="job"/> on GPUs the ranks are the
    /// job's (one per process), and the batch must divide over them.
    /// </summary>
    internal static TrainSettings Place(TrainSettings settings, DistributedEnvironment? job)
    {
        if (job is null || settings.Device != Cuda)
        {
            return settings;
        }

        var placed = settings with { Ranks = job.WorldSize };
        if (placed.Batch % (placed.Ranks * placed.Accumulation) != 0)
        {
            throw new CliException(ExitCodes.Usage, $"--batch {placed.Batch} does not divide evenly over the job's {placed.Ranks} ranks × {placed.Accumulation} accumulation steps.");
        }

        return placed;
    }

    /// <summary>Checks that <paramref name="device"/> can run <paramref name="ranks"/> ranks here, in this process or as one rank of <paramref name="job"/>.</summary>
    internal static void Check(string device, int ranks, DistributedEnvironment? job)
    {
        if (device == Host)
        {
            if (job is { WorldSize: > 1 })
            {
                throw new CliException(ExitCodes.Usage,
                    $"this process is rank {job.Rank} of {job.WorldSize} (set by elixir launch, torchrun or Slurm); one process per rank needs --device cuda.");
            }

            return;
        }

        if (CudaPlatform.DeviceCount == 0)
        {
            throw new CliException(ExitCodes.NoDevice, $"--device cuda: no CUDA device is usable here: {CudaPlatform.UnavailableReason}");
        }

        if (!CudaPlatform.IsNcclAvailable)
        {
            throw new CliException(ExitCodes.NoDevice, $"--device cuda needs NCCL for the ranks' collectives: {CudaPlatform.DescribeNccl()}");
        }

        int needed = job is null ? ranks : job.LocalRank + 1;
        bool shared = job is null && NcclCommunicator.AllowsSeveralRanksPerGpu;
        if (CudaPlatform.DeviceCount < needed && !shared)
        {
            throw new CliException(ExitCodes.NoDevice, job is null
                ? $"--device cuda --ranks {ranks} needs {ranks} GPUs; {CudaPlatform.DeviceCount} visible (NCCL {NcclCommunicator.NcclVersion} "
                    + $"runs several ranks on one GPU only from {NcclCommunicator.MultiRankPerGpuVersion} with NCCL_MULTI_RANK_GPU_ENABLE=1)."
                : $"--device cuda: local rank {job.LocalRank} needs GPU {job.LocalRank}; {CudaPlatform.DeviceCount} visible.");
        }
    }
}
