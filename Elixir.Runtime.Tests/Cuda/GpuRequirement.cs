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
}
