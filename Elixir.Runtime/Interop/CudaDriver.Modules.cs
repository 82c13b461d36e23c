using System.Runtime.InteropServices;

namespace Elixir.Interop;

internal static partial class CudaDriver
{
    /// <summary><c>CUresult cuModuleLoadData(CUmodule *module, const void *image)</c>; a PTX image is NUL-terminated text.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuModuleLoadData")]
    internal static unsafe partial CUresult cuModuleLoadData(out nint module, byte* image);

    /// <summary><c>CUresult cuModuleUnload(CUmodule hmod)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuModuleUnload")]
    internal static partial CUresult cuModuleUnload(nint module);

    /// <summary><c>CUresult cuModuleGetFunction(CUfunction *hfunc, CUmodule hmod, const char *name)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuModuleGetFunction", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial CUresult cuModuleGetFunction(out nint function, nint module, string name);

    /// <summary>
    /// <c>CUresult cuLaunchKernel(CUfunction f, unsigned int gridDimX, gridDimY, gridDimZ, blockDimX, blockDimY,
    /// blockDimZ, unsigned int sharedMemBytes, CUstream hStream, void **kernelParams, void **extra)</c>.
    /// </summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuLaunchKernel")]
    internal static unsafe partial CUresult cuLaunchKernel(
        nint function,
        uint gridX, uint gridY, uint gridZ,
        uint blockX, uint blockY, uint blockZ,
        uint sharedMemoryBytes, nint stream, void** kernelParameters, void** extra);
}
