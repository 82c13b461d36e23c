using Elixir.Interop;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Numerics;
using Elixir.Memory.Cuda;

namespace Elixir.Cuda;

/// <summary>
/// Matrix products through cuBLAS on one GPU, queued on one stream: give it the engine's compute stream
/// (<see cref="CudaMemoryBackend.DefaultStream"/>) so a product is ordered after the gather of the parameters it
/// reads; the NULL stream would race the gathers. Inputs are fp32, fp16 or bf16 (both the same type), the output
/// fp32 or the input type, and every product accumulates in fp32, on the tensor cores for fp16 and bf16 inputs and,
/// when <see cref="Float32Mode"/> allows it, for fp32 inputs rounded to TF32, bf16 or fp16. Matrices are column-major, as in cuBLAS: a row-major (rows, columns) tensor is its
/// column-major transpose, so Y = X·Wᵀ with row-major X (N, C) and W (OC, C) is
/// <c>Gemm(Transpose, None, OC, N, C, 1, W, C, X, C, 0, Y, OC)</c>. Calls allocate nothing.
/// </summary>
public sealed unsafe class CublasContext : IDisposable
{
    private readonly CudaMemoryBackend backend;
    private readonly CublasHandle handle;

    /// <summary>Creates a cuBLAS handle in <paramref name="backend"/>'s device context, bound to <paramref name="stream"/>.</summary>
    /// <exception cref="NativeLibraryNotAvailableException">cuBLAS is not installed where it was searched for.</exception>
    public CublasContext(CudaMemoryBackend backend, IStream stream)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(stream);
        LibraryGuard.RequireCublas();
        this.backend = backend;
        nint queue = backend.StreamHandle(stream);
        backend.MakeCurrent();
        Cublas.cublasCreate(out nint created).ThrowIfFailed();
        handle = new CublasHandle(backend.Device.Context, created);
        Cublas.cublasSetStream(created, queue).ThrowIfFailed();
        Cublas.cublasGetVersion(created, out int version).ThrowIfFailed();
        Version = version;
        Stream = stream;
    }

    /// <summary>True when cuBLAS can be loaded on this machine.</summary>
    public static bool IsAvailable => NativeLibraries.Cublas.IsAvailable;

    /// <summary>Where cuBLAS was loaded from, or every place that was searched for it.</summary>
    public static string Describe() => NativeLibraries.Cublas.Describe();

    /// <summary>cuBLAS's version number (major·10000 + minor·100 + patch).</summary>
    public int Version { get; }

    /// <summary>The stream every product is queued on.</summary>
    public IStream Stream { get; }

    /// <summary>How products of fp32 inputs are computed; <see cref="Float32GemmMode.Exact"/> unless set.</summary>
    public Float32GemmMode Float32Mode
    {
        get;
        set => field = Enum.IsDefined(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "Not a Float32GemmMode.");
    }

    /// <summary>
    /// C = alpha·op(A)·op(B) + beta·C (<c>cublasGemmEx</c>), op(A) m×k, op(B) k×n, C m×n, column-major with
    /// leading dimensions <paramref name="lda"/>, <paramref name="ldb"/>, <paramref name="ldc"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A size, leading dimension or range length does not fit; nothing is queued.</exception>
    public void Gemm<TInput, TOutput>(
        GemmOperation transA, GemmOperation transB, int m, int n, int k,
        float alpha, DevicePointer<TInput> a, int lda, DevicePointer<TInput> b, int ldb,
        float beta, DevicePointer<TOutput> c, int ldc)
        where TInput : unmanaged
        where TOutput : unmanaged
    {
        (cudaDataType inputType, cudaDataType outputType) = Types<TInput, TOutput>();
        GemmShape.Check(transA, transB, m, n, k, a.Length, lda, 0, b.Length, ldb, 0, c.Length, ldc, 0, 1);
        backend.MakeCurrent();
        Cublas.cublasGemmEx(
            handle.DangerousGetHandle(), Operation(transA), Operation(transB), m, n, k,
            &alpha, a.Address, inputType, lda, b.Address, inputType, ldb,
            &beta, c.Address, outputType, ldc,
            ComputeType(inputType, Float32Mode), cublasGemmAlgo_t.CUBLAS_GEMM_DEFAULT).ThrowIfFailed();
    }

    /// <summary>
    /// <paramref name="batchCount"/> independent products (<c>cublasGemmStridedBatchedEx</c>): matrix i of each
    /// operand starts i·stride elements after the first, as the heads of an attention layer lie in memory.
    /// </summary>
    /// <exception cref="ArgumentException">A size, leading dimension, stride or range length does not fit; nothing is queued.</exception>
    public void GemmStridedBatched<TInput, TOutput>(
        GemmOperation transA, GemmOperation transB, int m, int n, int k,
        float alpha, DevicePointer<TInput> a, int lda, long strideA, DevicePointer<TInput> b, int ldb, long strideB,
        float beta, DevicePointer<TOutput> c, int ldc, long strideC, int batchCount)
        where TInput : unmanaged
        where TOutput : unmanaged
    {
        (cudaDataType inputType, cudaDataType outputType) = Types<TInput, TOutput>();
        GemmShape.Check(transA, transB, m, n, k, a.Length, lda, strideA, b.Length, ldb, strideB, c.Length, ldc, strideC, batchCount);
        backend.MakeCurrent();
        Cublas.cublasGemmStridedBatchedEx(
            handle.DangerousGetHandle(), Operation(transA), Operation(transB), m, n, k,
            &alpha, a.Address, inputType, lda, strideA, b.Address, inputType, ldb, strideB,
            &beta, c.Address, outputType, ldc, strideC, batchCount,
            ComputeType(inputType, Float32Mode), cublasGemmAlgo_t.CUBLAS_GEMM_DEFAULT).ThrowIfFailed();
    }

    /// <inheritdoc/>
    public void Dispose() => handle.Dispose();

    /// <summary>The cuBLAS types of a product's inputs and output; other combinations are refused before any call.</summary>
    internal static (cudaDataType Input, cudaDataType Output) Types<TInput, TOutput>()
        where TInput : unmanaged
        where TOutput : unmanaged
    {
        cudaDataType input = DataType<TInput>();
        cudaDataType output = DataType<TOutput>();
        if (output != cudaDataType.CUDA_R_32F && output != input)
        {
            throw new ArgumentException(
                $"A GEMM with {typeof(TInput).Name} inputs writes {typeof(TInput).Name} or Single, not {typeof(TOutput).Name}.", nameof(TOutput));
        }

        return (input, output);
    }

    /// <summary>The compute type of a product: fp32 accumulation, with <paramref name="mode"/>'s rounding for fp32 inputs.</summary>
    internal static cublasComputeType_t ComputeType(cudaDataType input, Float32GemmMode mode) => input != cudaDataType.CUDA_R_32F
        ? cublasComputeType_t.CUBLAS_COMPUTE_32F
        : mode switch
        {
            Float32GemmMode.TensorFloat32 => cublasComputeType_t.CUBLAS_COMPUTE_32F_FAST_TF32,
            Float32GemmMode.BFloat16 => cublasComputeType_t.CUBLAS_COMPUTE_32F_FAST_16BF,
            Float32GemmMode.Float16 => cublasComputeType_t.CUBLAS_COMPUTE_32F_FAST_16F,
            _ => cublasComputeType_t.CUBLAS_COMPUTE_32F,
        };

    private static cudaDataType DataType<T>()
        where T : unmanaged =>
        typeof(T) == typeof(float) ? cudaDataType.CUDA_R_32F
        : typeof(T) == typeof(Half) ? cudaDataType.CUDA_R_16F
        : typeof(T) == typeof(BFloat16) ? cudaDataType.CUDA_R_16BF
        : throw new ArgumentException($"cuBLAS products take Single, Half or BFloat16 elements, not {typeof(T).Name}.", nameof(T));

    private static cublasOperation_t Operation(GemmOperation operation) => operation switch
    {
        GemmOperation.None => cublasOperation_t.CUBLAS_OP_N,
        GemmOperation.Transpose => cublasOperation_t.CUBLAS_OP_T,
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "A GEMM operand is read as stored or transposed."),
    };
}
