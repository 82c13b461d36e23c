namespace Elixir.Cuda;

/// <summary>
/// The host-side checks of a column-major GEMM's sizes, so a wrong leading dimension or a too-short buffer is an
/// exception naming the operand and the numbers instead of an out-of-bounds read on the GPU.
/// </summary>
internal static class GemmShape
{
    /// <summary>
    /// Checks m, n, k, the batch and each operand: op(A) is m×k, op(B) is k×n, C is m×n; a stored operand of
    /// <c>rows</c>×<c>columns</c> needs a leading dimension of at least max(1, rows) and
    /// <c>stride·(batch−1) + ld·(columns−1) + rows</c> elements.
    /// </summary>
    internal static void Check(
        GemmOperation transA, GemmOperation transB, int m, int n, int k,
        long lengthA, int lda, long strideA, long lengthB, int ldb, long strideB, long lengthC, int ldc, long strideC, int batchCount)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(m), $"GEMM sizes must not be negative: m={m}, n={n}, k={k}.");
        }

        if (batchCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchCount), $"A batched GEMM needs at least one matrix; batchCount={batchCount}.");
        }

        (int rowsA, int columnsA) = transA == GemmOperation.None ? (m, k) : (k, m);
        (int rowsB, int columnsB) = transB == GemmOperation.None ? (k, n) : (n, k);
        Operand("A", rowsA, columnsA, lengthA, lda, strideA, batchCount);
        Operand("B", rowsB, columnsB, lengthB, ldb, strideB, batchCount);
        Operand("C", m, n, lengthC, ldc, strideC, batchCount);
    }

    /// <summary>The elements a stored rows×columns operand spans over <paramref name="batchCount"/> matrices.</summary>
    internal static long RequiredLength(int rows, int columns, int leading, long stride, int batchCount) =>
        rows == 0 || columns == 0 ? 0 : (stride * (batchCount - 1)) + ((long)leading * (columns - 1)) + rows;

    private static void Operand(string name, int rows, int columns, long length, int leading, long stride, int batchCount)
    {
        if (leading < Math.Max(1, rows))
        {
            throw new ArgumentOutOfRangeException(
                $"ld{char.ToLowerInvariant(name[0])}", $"GEMM operand {name} is stored {rows}×{columns} (column-major) and needs a leading dimension of at least {Math.Max(1, rows)}; got {leading}.");
        }

        if (stride < 0)
        {
            throw new ArgumentOutOfRangeException($"stride{name}", $"GEMM operand {name}'s batch stride must not be negative; got {stride}.");
        }

        long required = RequiredLength(rows, columns, leading, stride, batchCount);
        if (length < required)
        {
            throw new ArgumentException(
                $"GEMM operand {name} ({rows}×{columns}, ld {leading}, stride {stride}, {batchCount} matrices) spans {required} elements; its device range holds {length}.",
                name.ToLowerInvariant());
        }
    }
}
