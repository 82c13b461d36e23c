using System.Runtime.InteropServices;

namespace Elixir.Interop;

internal static partial class CudaDriver
{
    /// <summary><c>CUresult cuGetErrorName(CUresult error, const char **pStr)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuGetErrorName")]
    internal static partial CUresult cuGetErrorName(CUresult error, out nint name);

    /// <summary><c>CUresult cuGetErrorString(CUresult error, const char **pStr)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuGetErrorString")]
    internal static partial CUresult cuGetErrorString(CUresult error, out nint text);
}
