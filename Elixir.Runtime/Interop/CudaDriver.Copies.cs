using System.Runtime.InteropServices;

namespace Elixir.Interop;

internal static partial class CudaDriver
{
    /// <summary><c>CUresult cuMemcpyHtoDAsync(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount, CUstream hStream)</c>, exported as <c>cuMemcpyHtoDAsync_v2</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuMemcpyHtoDAsync_v2")]
    internal static partial CUresult cuMemcpyHtoDAsync(ulong destination, nint source, nuint byteCount, nint stream);

    /// <summary><c>CUresult cuMemcpyDtoHAsync(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)</c>, exported as <c>cuMemcpyDtoHAsync_v2</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuMemcpyDtoHAsync_v2")]
    internal static partial CUresult cuMemcpyDtoHAsync(nint destination, ulong source, nuint byteCount, nint stream);

    /// <summary><c>CUresult cuMemcpyDtoDAsync(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)</c>, exported as <c>cuMemcpyDtoDAsync_v2</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuMemcpyDtoDAsync_v2")]
    internal static partial CUresult cuMemcpyDtoDAsync(ulong destination, ulong source, nuint byteCount, nint stream);

    /// <summary><c>CUresult cuMemcpyAsync(CUdeviceptr dst, CUdeviceptr src, size_t ByteCount, CUstream hStream)</c>: unified addressing infers the direction (used for pinned host to pinned host).</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuMemcpyAsync")]
    internal static partial CUresult cuMemcpyAsync(ulong destination, ulong source, nuint byteCount, nint stream);

    /// <summary><c>CUresult cuMemsetD8Async(CUdeviceptr dstDevice, unsigned char uc, size_t N, CUstream hStream)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuMemsetD8Async")]
    internal static partial CUresult cuMemsetD8Async(ulong destination, byte value, nuint count, nint stream);
}
