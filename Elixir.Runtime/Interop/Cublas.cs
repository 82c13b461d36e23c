namespace Elixir.Interop;

/// <summary>
/// cuBLAS (<c>cublas_api.h</c>, CUDA 11.8 to 13). Entry points are the <c>_v2</c> symbols <c>cublas_v2.h</c> maps
/// the plain names to; <c>cublasHandle_t</c> and <c>cudaStream_t</c> (the driver's <c>CUstream</c>) are <c>nint</c>,
/// device pointers are <c>ulong</c>, <c>long long</c> strides are <c>long</c>. The scalars <c>alpha</c> and
/// <c>beta</c> are host pointers (the handle's default <c>CUBLAS_POINTER_MODE_HOST</c>).
/// </summary>
internal static partial class Cublas
{
    static Cublas() => NativeLibraryResolver.EnsureRegistered();
}
