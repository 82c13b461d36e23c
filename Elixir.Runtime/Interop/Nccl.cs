namespace Elixir.Interop;

/// <summary>
/// NCCL (<c>nccl.h</c>, 2.28). <c>ncclComm_t</c> and <c>cudaStream_t</c> are pointers (<c>nint</c>); a
/// <c>cudaStream_t</c> is the driver's <c>CUstream</c>; <c>size_t</c> counts are elements, not bytes.
/// </summary>
internal static partial class Nccl
{
    static Nccl() => NativeLibraryResolver.EnsureRegistered();
}
