namespace Elixir.Cuda;

/// <summary>
/// How <see cref="CublasContext"/> multiplies fp32 matrices. Every mode accumulates in fp32; the fast modes let
/// cuBLAS round the fp32 inputs to a narrower type so the product runs on the tensor cores, the way mixed
/// precision runs when parameters are already stored in 16 bits. Products of fp16 or bf16 inputs always use the
/// tensor cores, whatever the mode.
/// </summary>
public enum Float32GemmMode
{
    /// <summary>fp32 inputs as they are (<c>CUBLAS_COMPUTE_32F</c>): the result a plain fp32 loop gives, to rounding.</summary>
    Exact,

    /// <summary>Inputs rounded to TF32, 10 mantissa bits (<c>CUBLAS_COMPUTE_32F_FAST_TF32</c>).</summary>
    TensorFloat32,

    /// <summary>Inputs rounded to bf16 (<c>CUBLAS_COMPUTE_32F_FAST_16BF</c>): for models whose parameters are stored in bf16.</summary>
    BFloat16,

    /// <summary>Inputs rounded to fp16 (<c>CUBLAS_COMPUTE_32F_FAST_16F</c>): for models whose parameters are stored in fp16.</summary>
    Float16,
}
