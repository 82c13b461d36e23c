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

    /// <summary><c>CUresult cuEventElapsedTime(float *pMilliseconds, CUevent hStart, CUevent hEnd)</c>, exported as <c>cuEventElapsedTime_v2</c> since CUDA 12.8.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuEventElapsedTime_v2")]
    internal static partial CUresult cuEventElapsedTime(out float milliseconds, nint start, nint end);
}
