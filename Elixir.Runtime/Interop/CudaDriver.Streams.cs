using System.Runtime.InteropServices;

namespace Elixir.Interop;

internal static partial class CudaDriver
{
    /// <summary><c>CU_STREAM_NON_BLOCKING</c>: the stream does not synchronise with the legacy NULL stream.</summary>
    internal const uint CU_STREAM_NON_BLOCKING = 0x1;

    /// <summary><c>CUresult cuStreamCreate(CUstream *phStream, unsigned int Flags)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuStreamCreate")]
    internal static partial CUresult cuStreamCreate(out nint stream, uint flags);

    /// <summary><c>CUresult cuStreamDestroy(CUstream hStream)</c>, exported as <c>cuStreamDestroy_v2</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuStreamDestroy_v2")]
    internal static partial CUresult cuStreamDestroy(nint stream);

    /// <summary><c>CUresult cuStreamWaitEvent(CUstream hStream, CUevent hEvent, unsigned int Flags)</c>; Flags must be 0.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuStreamWaitEvent")]
    internal static partial CUresult cuStreamWaitEvent(nint stream, nint cudaEvent, uint flags);
}
