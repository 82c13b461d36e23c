namespace Elixir.Interop;

/// <summary>The names the bindings import from; <see cref="NativeLibraryResolver"/> maps them to loaded handles.</summary>
internal static class NativeLibraryNames
{
    internal const string Cuda = "libcuda.so.1";
    internal const string Nccl = "libnccl.so.2";
    internal const string CudaOverrideVariable = "ELIXIR_CUDA_LIBRARY";
    internal const string NcclOverrideVariable = "ELIXIR_NCCL_LIBRARY";

    /// <summary>A logical name: the file found carries the CUDA major version (see <see cref="CublasLibrary"/>).</summary>
    internal const string Cublas = "libcublas.so";
    internal const string CublasOverrideVariable = "ELIXIR_CUBLAS_LIBRARY";
}
