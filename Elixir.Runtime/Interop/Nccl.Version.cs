using System.Runtime.InteropServices;

namespace Elixir.Interop;

internal static partial class Nccl
{
    /// <summary><c>ncclResult_t ncclGetVersion(int *version)</c>: 10000 × major + 100 × minor + patch.</summary>
    [LibraryImport(NativeLibraryNames.Nccl, EntryPoint = "ncclGetVersion")]
    internal static partial ncclResult_t ncclGetVersion(out int version);

    /// <summary><c>const char* ncclGetErrorString(ncclResult_t result)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Nccl, EntryPoint = "ncclGetErrorString")]
    internal static partial nint ncclGetErrorString(ncclResult_t result);
}
