using Elixir.Cuda;
using Elixir.Interop;

namespace Elixir.Runtime.Tests.Cublas;

/// <summary>
/// Which cuBLAS compute type each product gets, against cublas_api.h's table by hand: fp32 inputs follow the mode,
/// 16-bit inputs always accumulate in plain fp32 (their tensor-core path needs no down-conversion).
/// </summary>
public sealed class Float32GemmModeTests
{
    [Theory]
    [InlineData(Float32GemmMode.Exact, 68)]
    [InlineData(Float32GemmMode.TensorFloat32, 77)]
    [InlineData(Float32GemmMode.BFloat16, 75)]
    [InlineData(Float32GemmMode.Float16, 74)]
    public void Fp32_inputs_take_the_modes_compute_type(Float32GemmMode mode, int expected) =>
        Assert.Equal(expected, (int)CublasContext.ComputeType(cudaDataType.CUDA_R_32F, mode));

    [Theory]
    [InlineData(Float32GemmMode.Exact)]
    [InlineData(Float32GemmMode.BFloat16)]
    [InlineData(Float32GemmMode.Float16)]
    public void Sixteen_bit_inputs_always_accumulate_in_plain_fp32(Float32GemmMode mode)
    {
        Assert.Equal(68, (int)CublasContext.ComputeType(cudaDataType.CUDA_R_16BF, mode));
        Assert.Equal(68, (int)CublasContext.ComputeType(cudaDataType.CUDA_R_16F, mode));
    }
}
