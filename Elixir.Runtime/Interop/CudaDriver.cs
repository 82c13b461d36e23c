namespace Elixir.Interop;

/// <summary>
/// The CUDA driver API (<c>cuda.h</c>, CUDA 13.0). Entry points are the versioned symbols <c>cuda.h</c> maps the
/// plain names to (<c>cuMemAlloc</c> → <c>cuMemAlloc_v2</c>), without the per-thread default stream variants;
/// <c>cuEventElapsedTime</c> picks <c>_v2</c> or the original by driver version, since only 12.8+ drivers have <c>_v2</c>. Handles are <c>nint</c>, <c>CUdeviceptr</c> is <c>ulong</c>,
/// <c>size_t</c> is <c>nuint</c>, <c>CUdevice</c> is <c>int</c>.
/// </summary>
internal static partial class CudaDriver
{
    static CudaDriver() => NativeLibraryResolver.EnsureRegistered();
}
