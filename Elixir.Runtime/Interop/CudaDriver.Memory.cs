using System.Runtime.InteropServices;

namespace Elixir.Interop;

internal static partial class CudaDriver
{
    /// <summary><c>CU_MEMHOSTALLOC_PORTABLE</c>: the pinned memory is pinned for every context, not only the current one.</summary>
    internal const uint CU_MEMHOSTALLOC_PORTABLE = 0x01;

    /// <summary><c>CU_MEMHOSTALLOC_DEVICEMAP</c>: kernels may address the pinned memory directly.</summary>
    internal const uint CU_MEMHOSTALLOC_DEVICEMAP = 0x02;

    /// <summary><c>CUresult cuMemAlloc(CUdeviceptr *dptr, size_t bytesize)</c>, exported as <c>cuMemAlloc_v2</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuMemAlloc_v2")]
    internal static partial CUresult cuMemAlloc(out ulong devicePointer, nuint byteSize);

    /// <summary><c>CUresult cuMemFree(CUdeviceptr dptr)</c>, exported as <c>cuMemFree_v2</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuMemFree_v2")]
    internal static partial CUresult cuMemFree(ulong devicePointer);

    /// <summary><c>CUresult cuMemHostAlloc(void **pp, size_t bytesize, unsigned int Flags)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuMemHostAlloc")]
    internal static partial CUresult cuMemHostAlloc(out nint hostPointer, nuint byteSize, uint flags);

    /// <summary><c>CUresult cuMemFreeHost(void *p)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuMemFreeHost")]
    internal static partial CUresult cuMemFreeHost(nint hostPointer);

    /// <summary><c>CUresult cuMemGetInfo(size_t *free, size_t *total)</c>, exported as <c>cuMemGetInfo_v2</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuMemGetInfo_v2")]
    internal static partial CUresult cuMemGetInfo(out nuint free, out nuint total);
}
