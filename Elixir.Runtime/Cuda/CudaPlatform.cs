using Elixir.Interop;

namespace Elixir.Cuda;

/// <summary>Whether this machine can run the CUDA backend, answered without throwing.</summary>
public static class CudaPlatform
{
    private static readonly Lazy<(int Count, string Reason)> Probe = new(ProbeDevices);

    /// <summary>The number of CUDA devices; 0 when the driver is missing or reports none.</summary>
    public static int DeviceCount => Probe.Value.Count;

    /// <summary>Why <see cref="DeviceCount"/> is 0, or an empty string when devices exist.</summary>
    public static string UnavailableReason => Probe.Value.Reason;

    /// <summary>True when NCCL can be loaded.</summary>
    public static bool IsNcclAvailable => NativeLibraries.Nccl.IsAvailable;

    /// <summary>Where NCCL was loaded from, or what was searched for it.</summary>
    public static string DescribeNccl() => NativeLibraries.Nccl.Describe();

    /// <summary>Initialises the driver once (<c>cuInit</c>); every entry point into the backend calls it.</summary>
    internal static void EnsureInitialized()
    {
        LibraryGuard.RequireCuda();
        InitOnce.Value.ThrowIfFailed("cuInit(0)");
    }

    private static readonly Lazy<CUresult> InitOnce = new(() => CudaDriver.cuInit(0));

    private static (int, string) ProbeDevices()
    {
        NativeLibraryAvailability driver = NativeLibraries.Cuda;
        if (!driver.IsAvailable)
        {
            return (0, driver.Describe());
        }

        CUresult init = InitOnce.Value;
        if (init != CUresult.CUDA_SUCCESS)
        {
            return (0, CudaStatus.ToException(init, "cuInit(0)").Message);
        }

        CUresult count = CudaDriver.cuDeviceGetCount(out int devices);
        return count != CUresult.CUDA_SUCCESS ? (0, CudaStatus.ToException(count, "cuDeviceGetCount").Message)
            : devices == 0 ? (0, "The CUDA driver reports no devices.")
            : (devices, string.Empty);
    }
}
