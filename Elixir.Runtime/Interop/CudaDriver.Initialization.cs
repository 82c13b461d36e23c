using System.Runtime.InteropServices;

namespace Elixir.Interop;

internal static partial class CudaDriver
{
    /// <summary><c>CUresult cuInit(unsigned int Flags)</c>; Flags must be 0.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuInit")]
    internal static partial CUresult cuInit(uint flags);

    /// <summary><c>CUresult cuDriverGetVersion(int *driverVersion)</c>: 1000 × major + 10 × minor.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuDriverGetVersion")]
    internal static partial CUresult cuDriverGetVersion(out int driverVersion);
}
