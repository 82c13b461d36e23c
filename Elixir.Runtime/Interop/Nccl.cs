namespace Elixir.Interop;

/// <summary>
/// NCCL, as declared by <c>nccl.h</c> of NCCL 2.31 (<c>src/nccl.h.in</c>, <c>ncclConfig_v23100</c>); every entry point
/// used exists from NCCL 2.14 on, the oldest that has non-blocking communicators. <c>ncclComm_t</c> and <c>cudaStream_t</c> are pointers (<c>nint</c>); a
/// <c>cudaStream_t</c> is the driver's <c>CUstream</c>; <c>size_t</c> counts are elements, not bytes.
/// </summary>
internal static partial class Nccl
{
    static Nccl() => NativeLibraryResolver.EnsureRegistered();
}
