using Elixir.Collectives.Nccl;
using Elixir.Cuda;

namespace Elixir.Runtime.Tests.Cuda;

/// <summary>Skips a GPU test, with the reason, on machines without a CUDA device (CI) or without enough of them.</summary>
internal static class GpuRequirement
{
    internal const string Category = "Gpu";

    internal static void Devices(int count = 1)
    {
        Assert.SkipWhen(CudaPlatform.DeviceCount == 0, $"No CUDA device: {CudaPlatform.UnavailableReason}");
        Assert.SkipWhen(CudaPlatform.DeviceCount < count, $"Needs {count} CUDA devices; {CudaPlatform.DeviceCount} visible.");
    }

    internal static void Nccl(int ranks = 1)
    {
        Devices(ranks);
        Assert.SkipUnless(CudaPlatform.IsNcclAvailable, CudaPlatform.DescribeNccl());
    }

    /// <summary>
    /// Requires NCCL and enough GPUs for <paramref name="ranks"/> ranks, counting several ranks per GPU where the
    /// loaded NCCL allows it (rank r then uses device <see cref="DeviceOf"/>): one GPU still tests sharding.
    /// </summary>
    internal static void NcclRanks(int ranks)
    {
        Devices();
        Assert.SkipUnless(CudaPlatform.IsNcclAvailable, CudaPlatform.DescribeNccl());
        if (CudaPlatform.DeviceCount >= ranks)
        {
            return;
        }

        Version version = NcclCommunicator.NcclVersion;
        Assert.SkipUnless(NcclCommunicator.AllowsSeveralRanksPerGpu,
            $"{ranks} ranks on {CudaPlatform.DeviceCount} GPU(s) need NCCL {NcclCommunicator.MultiRankPerGpuVersion} or later with "
            + $"NCCL_MULTI_RANK_GPU_ENABLE=1 set before the process starts; found NCCL {version}, "
            + $"NCCL_MULTI_RANK_GPU_ENABLE={Environment.GetEnvironmentVariable("NCCL_MULTI_RANK_GPU_ENABLE") ?? "(unset)"}.");
    }

    /// <summary>The device rank <paramref name="rank"/> uses: rank mod the device count.</summary>
    internal static int DeviceOf(int rank) => rank % CudaPlatform.DeviceCount;
}
