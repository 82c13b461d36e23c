using System.Runtime.InteropServices;

namespace Elixir.Interop;

internal static partial class CudaDriver
{
    /// <summary><c>CU_EVENT_DEFAULT</c>.</summary>
    internal const uint CU_EVENT_DEFAULT = 0x0;

    /// <summary><c>CU_EVENT_DISABLE_TIMING</c>: cheaper events for ordering only.</summary>
    internal const uint CU_EVENT_DISABLE_TIMING = 0x2;

    /// <summary><c>CUresult cuEventCreate(CUevent *phEvent, unsigned int Flags)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuEventCreate")]
    internal static partial CUresult cuEventCreate(out nint cudaEvent, uint flags);

    /// <summary><c>CUresult cuEventDestroy(CUevent hEvent)</c>, exported as <c>cuEventDestroy_v2</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuEventDestroy_v2")]
    internal static partial CUresult cuEventDestroy(nint cudaEvent);

    /// <summary><c>CUresult cuEventRecord(CUevent hEvent, CUstream hStream)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuEventRecord")]
    internal static partial CUresult cuEventRecord(nint cudaEvent, nint stream);

    /// <summary><c>CUresult cuEventQuery(CUevent hEvent)</c>: CUDA_SUCCESS when complete, CUDA_ERROR_NOT_READY otherwise.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuEventQuery")]
    internal static partial CUresult cuEventQuery(nint cudaEvent);

    /// <summary><c>CUresult cuEventSynchronize(CUevent hEvent)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuEventSynchronize")]
    internal static partial CUresult cuEventSynchronize(nint cudaEvent);

    /// <summary>The first driver version (CUDA 12.8, as <c>cuDriverGetVersion</c> reports it) that exports <c>cuEventElapsedTime_v2</c>.</summary>
    internal const int EventElapsedTimeV2DriverVersion = 12080;

    private static readonly Lazy<bool> ElapsedTimeV2 = new(() =>
        cuDriverGetVersion(out int version) == CUresult.CUDA_SUCCESS && UsesEventElapsedTimeV2(version));

    /// <summary>
    /// <c>CUresult cuEventElapsedTime(float *pMilliseconds, CUevent hStart, CUevent hEnd)</c>. <c>cuda.h</c> maps it to
    /// <c>cuEventElapsedTime_v2</c> from CUDA 12.8 (13.0 drops the plain declaration), but drivers older than 12.8
    /// export only <c>cuEventElapsedTime</c>; binding <c>_v2</c> alone would fail there with an
    /// <see cref="EntryPointNotFoundException"/>. The entry point is chosen from the driver's version.
    /// </summary>
    internal static CUresult cuEventElapsedTime(out float milliseconds, nint start, nint end) => ElapsedTimeV2.Value
        ? cuEventElapsedTime_v2(out milliseconds, start, end)
        : cuEventElapsedTime_v1(out milliseconds, start, end);

    /// <summary>Whether a driver of <paramref name="driverVersion"/> (1000 × major + 10 × minor) exports <c>cuEventElapsedTime_v2</c>.</summary>
    internal static bool UsesEventElapsedTimeV2(int driverVersion) => driverVersion >= EventElapsedTimeV2DriverVersion;

    /// <summary><c>cuEventElapsedTime_v2</c>, exported by drivers for CUDA 12.8 and later.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuEventElapsedTime_v2")]
    private static partial CUresult cuEventElapsedTime_v2(out float milliseconds, nint start, nint end);

    /// <summary>The original <c>cuEventElapsedTime</c>, the only one drivers before CUDA 12.8 export.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuEventElapsedTime")]
    private static partial CUresult cuEventElapsedTime_v1(out float milliseconds, nint start, nint end);
}
