using System.Runtime.InteropServices;

namespace Elixir.Interop;

internal static partial class Cublas
{
    /// <summary><c>cublasStatus_t cublasCreate_v2(cublasHandle_t* handle)</c>; binds the handle to the current context.</summary>
    [LibraryImport(NativeLibraryNames.Cublas, EntryPoint = "cublasCreate_v2")]
    internal static partial cublasStatus_t cublasCreate(out nint handle);

    /// <summary><c>cublasStatus_t cublasDestroy_v2(cublasHandle_t handle)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cublas, EntryPoint = "cublasDestroy_v2")]
    internal static partial cublasStatus_t cublasDestroy(nint handle);

    /// <summary><c>cublasStatus_t cublasGetVersion_v2(cublasHandle_t handle, int* version)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cublas, EntryPoint = "cublasGetVersion_v2")]
    internal static partial cublasStatus_t cublasGetVersion(nint handle, out int version);

    /// <summary><c>cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cublas, EntryPoint = "cublasSetStream_v2")]
    internal static partial cublasStatus_t cublasSetStream(nint handle, nint stream);

    /// <summary><c>const char* cublasGetStatusString(cublasStatus_t status)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cublas, EntryPoint = "cublasGetStatusString")]
    internal static partial nint cublasGetStatusString(cublasStatus_t status);
}
