namespace Elixir.Cuda;

/// <summary>How a GEMM operand is read: as stored (column-major, cuBLAS's order) or transposed.</summary>
public enum GemmOperation
{
    /// <summary>op(X) = X (<c>CUBLAS_OP_N</c>).</summary>
    None = 0,

    /// <summary>op(X) = Xᵀ (<c>CUBLAS_OP_T</c>); a row-major matrix read this way is its column-major self.</summary>
    Transpose = 1,
}
