using System.Runtime.InteropServices;

namespace Elixir.Interop;

internal static partial class Cublas
{
    /// <summary>
    /// <c>cublasStatus_t cublasGemmEx(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
    /// int m, int n, int k, const void* alpha, const void* A, cudaDataType Atype, int lda, const void* B,
    /// cudaDataType Btype, int ldb, const void* beta, void* C, cudaDataType Ctype, int ldc,
    /// cublasComputeType_t computeType, cublasGemmAlgo_t algo)</c>; column-major, C = alpha·op(A)·op(B) + beta·C.
    /// </summary>
    [LibraryImport(NativeLibraryNames.Cublas, EntryPoint = "cublasGemmEx")]
    internal static unsafe partial cublasStatus_t cublasGemmEx(
        nint handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k,
        float* alpha, ulong a, cudaDataType aType, int lda, ulong b, cudaDataType bType, int ldb,
        float* beta, ulong c, cudaDataType cType, int ldc, cublasComputeType_t computeType, cublasGemmAlgo_t algo);

    /// <summary>
    /// <c>cublasStatus_t cublasGemmStridedBatchedEx(cublasHandle_t handle, cublasOperation_t transa,
    /// cublasOperation_t transb, int m, int n, int k, const void* alpha, const void* A, cudaDataType Atype, int lda,
    /// long long int strideA, const void* B, cudaDataType Btype, int ldb, long long int strideB, const void* beta,
    /// void* C, cudaDataType Ctype, int ldc, long long int strideC, int batchCount, cublasComputeType_t computeType,
    /// cublasGemmAlgo_t algo)</c>; strides are in elements.
    /// </summary>
    [LibraryImport(NativeLibraryNames.Cublas, EntryPoint = "cublasGemmStridedBatchedEx")]
    internal static unsafe partial cublasStatus_t cublasGemmStridedBatchedEx(
        nint handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k,
        float* alpha, ulong a, cudaDataType aType, int lda, long strideA, ulong b, cudaDataType bType, int ldb, long strideB,
        float* beta, ulong c, cudaDataType cType, int ldc, long strideC, int batchCount,
        cublasComputeType_t computeType, cublasGemmAlgo_t algo);
}
