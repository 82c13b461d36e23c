using Elixir.Cuda;
using Elixir.Interop;
using Elixir.Numerics;

namespace Elixir.Runtime.Tests.Cublas;

public sealed class GemmShapeTests
{
    // Column-major rows×columns with leading dimension ld spans ld·(columns−1)+rows elements; a batch adds stride·(count−1).
    [Theory]
    [InlineData(3, 4, 3, 0, 1, 12)]
    [InlineData(3, 4, 5, 0, 1, 18)]
    [InlineData(3, 4, 3, 20, 3, 52)]
    [InlineData(0, 4, 1, 0, 1, 0)]
    [InlineData(3, 0, 3, 0, 1, 0)]
    public void The_required_length_is_the_last_element_plus_one(int rows, int columns, int leading, long stride, int batch, long expected)
    {
        Assert.Equal(expected, GemmShape.RequiredLength(rows, columns, leading, stride, batch));
    }

    [Fact]
    public void A_row_major_linear_layer_fits_exactly()
    {
        // Y (N=5, OC=3) = X (N=5, C=4) · Wᵀ with W (OC=3, C=4), row-major: Gemm(T, N, OC, N, C, W, ld C, X, ld C, Y, ld OC).
        GemmShape.Check(GemmOperation.Transpose, GemmOperation.None, 3, 5, 4, 12, 4, 0, 20, 4, 0, 15, 3, 0, 1);
    }

    [Fact]
    public void A_short_operand_is_refused_naming_it_and_the_numbers()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            GemmShape.Check(GemmOperation.Transpose, GemmOperation.None, 3, 5, 4, 12, 4, 0, 19, 4, 0, 15, 3, 0, 1));

        Assert.Equal("b", error.ParamName);
        Assert.Contains("GEMM operand B (4×5, ld 4, stride 0, 1 matrices) spans 20 elements; its device range holds 19.", error.Message);
    }

    [Fact]
    public void A_leading_dimension_below_the_rows_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            GemmShape.Check(GemmOperation.None, GemmOperation.None, 3, 5, 4, 100, 2, 0, 100, 4, 0, 100, 3, 0, 1));

        Assert.Equal("lda", error.ParamName);
        Assert.Contains("stored 3×4 (column-major) and needs a leading dimension of at least 3; got 2.", error.Message);
    }

    [Fact]
    public void A_batch_checks_the_last_matrix()
    {
        // Four heads of 2×3 each, stride 6: 3·6 + 2·2 + 2 = 24 elements needed for C.
        var error = Assert.Throws<ArgumentException>(() =>
            GemmShape.Check(GemmOperation.None, GemmOperation.None, 2, 3, 1, 100, 2, 2, 100, 1, 3, 23, 2, 6, 4));

        Assert.Contains("spans 24 elements; its device range holds 23.", error.Message);
    }

    [Theory]
    [InlineData(-1, 1, 1, 1)]
    [InlineData(1, 1, -1, 1)]
    [InlineData(1, 1, 1, 0)]
    public void Negative_sizes_and_an_empty_batch_are_refused(int m, int n, int k, int batch)
    {
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() =>
            GemmShape.Check(GemmOperation.None, GemmOperation.None, m, n, k, 100, 1, 0, 100, 1, 0, 100, 1, 0, batch));
    }

    [Fact]
    public void Input_and_output_types_map_to_cuda_data_types()
    {
        Assert.Equal((cudaDataType.CUDA_R_32F, cudaDataType.CUDA_R_32F), CublasContext.Types<float, float>());
        Assert.Equal((cudaDataType.CUDA_R_16BF, cudaDataType.CUDA_R_32F), CublasContext.Types<BFloat16, float>());
        Assert.Equal((cudaDataType.CUDA_R_16BF, cudaDataType.CUDA_R_16BF), CublasContext.Types<BFloat16, BFloat16>());
        Assert.Equal((cudaDataType.CUDA_R_16F, cudaDataType.CUDA_R_16F), CublasContext.Types<Half, Half>());
    }

    [Fact]
    public void Mixed_half_outputs_and_other_element_types_are_refused()
    {
        Assert.Contains("writes BFloat16 or Single, not Half", Assert.Throws<ArgumentException>(() => CublasContext.Types<BFloat16, Half>()).Message);
        Assert.Contains("not Double", Assert.Throws<ArgumentException>(() => CublasContext.Types<double, double>()).Message);
    }
}
