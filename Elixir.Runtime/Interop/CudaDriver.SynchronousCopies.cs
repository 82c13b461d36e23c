using System.Runtime.InteropServices;

namespace Elixir.Interop;

internal static partial class CudaDriver
{
    /// <summary><c>CUresult cuMemcpyHtoD(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount)</c>, exported as <c>cuMemcpyHtoD_v2</c>; the benchmarks' plain-copy baseline.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuMemcpyHtoD_v2")]
    internal static partial CUresult cuMemcpyHtoD(ulong destination, nint source, nuint byteCount);

    /// <summary><c>CUresult cuMemcpyDtoH(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount)</c>, exported as <c>cuMemcpyDtoH_v2</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuMemcpyDtoH_v2")]
    internal static partial CUresult cuMemcpyDtoH(nint destination, ulong source, nuint byteCount);
}
