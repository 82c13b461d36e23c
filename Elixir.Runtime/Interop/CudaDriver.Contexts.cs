using System.Runtime.InteropServices;

namespace Elixir.Interop;

internal static partial class CudaDriver
{
    /// <summary><c>CUresult cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuDevicePrimaryCtxRetain")]
    internal static partial CUresult cuDevicePrimaryCtxRetain(out nint context, int device);

    /// <summary><c>CUresult cuDevicePrimaryCtxRelease(CUdevice dev)</c>, exported as <c>cuDevicePrimaryCtxRelease_v2</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuDevicePrimaryCtxRelease_v2")]
    internal static partial CUresult cuDevicePrimaryCtxRelease(int device);

    /// <summary><c>CUresult cuCtxSetCurrent(CUcontext ctx)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuCtxSetCurrent")]
    internal static partial CUresult cuCtxSetCurrent(nint context);
}
