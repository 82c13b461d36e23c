namespace Elixir.Interop;

/// <summary><c>cublasStatus_t</c>.</summary>
internal enum cublasStatus_t
{
    CUBLAS_STATUS_SUCCESS = 0,
    CUBLAS_STATUS_NOT_INITIALIZED = 1,
    CUBLAS_STATUS_ALLOC_FAILED = 3,
    CUBLAS_STATUS_INVALID_VALUE = 7,
    CUBLAS_STATUS_ARCH_MISMATCH = 8,
    CUBLAS_STATUS_MAPPING_ERROR = 11,
    CUBLAS_STATUS_EXECUTION_FAILED = 13,
    CUBLAS_STATUS_INTERNAL_ERROR = 14,
    CUBLAS_STATUS_NOT_SUPPORTED = 15,
    CUBLAS_STATUS_LICENSE_ERROR = 16,
}

/// <summary><c>cublasOperation_t</c>.</summary>
internal enum cublasOperation_t
{
    CUBLAS_OP_N = 0,
    CUBLAS_OP_T = 1,
}

/// <summary><c>cublasComputeType_t</c>: fp32 accumulation, exact or with fp32 inputs rounded for the tensor cores.</summary>
internal enum cublasComputeType_t
{
    CUBLAS_COMPUTE_32F = 68,
    CUBLAS_COMPUTE_32F_FAST_16F = 74,
    CUBLAS_COMPUTE_32F_FAST_16BF = 75,
    CUBLAS_COMPUTE_32F_FAST_TF32 = 77,
}

/// <summary><c>cublasGemmAlgo_t</c> (the heuristic choice, which uses tensor cores where the types allow).</summary>
internal enum cublasGemmAlgo_t
{
    CUBLAS_GEMM_DEFAULT = -1,
}

/// <summary><c>cudaDataType</c> from <c>library_types.h</c> (the element types the runtime has).</summary>
internal enum cudaDataType
{
    CUDA_R_32F = 0,
    CUDA_R_16F = 2,
    CUDA_R_16BF = 14,
}
