using System.Runtime.InteropServices;

namespace Elixir.Interop;

internal static partial class Nccl
{
    /// <summary><c>ncclResult_t ncclGroupStart()</c>.</summary>
    [LibraryImport(NativeLibraryNames.Nccl, EntryPoint = "ncclGroupStart")]
    internal static partial ncclResult_t ncclGroupStart();

    /// <summary><c>ncclResult_t ncclGroupEnd()</c>.</summary>
    [LibraryImport(NativeLibraryNames.Nccl, EntryPoint = "ncclGroupEnd")]
    internal static partial ncclResult_t ncclGroupEnd();
}
