using Elixir.Collectives.Nccl;
using Elixir.Cuda;
using Elixir.Interop;

namespace Elixir.Runtime.Tests.Cuda;

public sealed class StatusExceptionTests
{
    [Fact]
    public void Success_does_not_throw()
    {
        CUresult.CUDA_SUCCESS.ThrowIfFailed();
        ncclResult_t.ncclSuccess.ThrowIfFailed();
    }

    [Fact]
    public void A_failing_driver_call_names_the_error_and_the_call()
    {
        static CUresult FailingAllocation() => CUresult.CUDA_ERROR_OUT_OF_MEMORY;

        CudaException e = Assert.Throws<CudaException>(() => FailingAllocation().ThrowIfFailed());

        Assert.Equal("FailingAllocation()", e.Call);
        Assert.Equal(2, e.Code);
        Assert.Equal("CUDA_ERROR_OUT_OF_MEMORY", e.ErrorName);
        Assert.NotEmpty(e.ErrorText);
        Assert.StartsWith("FailingAllocation() failed with CUDA_ERROR_OUT_OF_MEMORY (2): ", e.Message);
    }

    [Fact]
    public void Driver_nccl_and_cublas_failures_are_caught_as_one_native_call_exception()
    {
        NativeCallException[] failures =
        [
            Assert.Throws<CudaException>(() => CUresult.CUDA_ERROR_INVALID_VALUE.ThrowIfFailed("cuMemAlloc(64)")),
            Assert.Throws<NcclException>(() => ncclResult_t.ncclInvalidArgument.ThrowIfFailed("ncclAllReduce(4)")),
            new CublasException("cublasGemmEx(2, 2, 2)", 7, "CUBLAS_STATUS_INVALID_VALUE", "an invalid value"),
        ];

        Assert.Equal(["cuMemAlloc(64)", "ncclAllReduce(4)", "cublasGemmEx(2, 2, 2)"], failures.Select(f => f.Call));
        Assert.Equal([1, 4, 7], failures.Select(f => f.Code));
        Assert.Equal("cublasGemmEx(2, 2, 2) failed with CUBLAS_STATUS_INVALID_VALUE (7): an invalid value", failures[2].Message);
    }

    [Theory]
    [InlineData(100, "CUDA_ERROR_NO_DEVICE")]
    [InlineData(218, "CUDA_ERROR_INVALID_PTX")]
    [InlineData(999, "CUDA_ERROR_UNKNOWN")]
    [InlineData(12345, "CUresult 12345")]
    public void Driver_codes_map_to_their_cuda_h_names(int code, string name)
    {
        Assert.Equal(name, CudaStatus.ToException((CUresult)code, "call").ErrorName);
    }

    [Theory]
    [InlineData(1, "ncclUnhandledCudaError")]
    [InlineData(4, "ncclInvalidArgument")]
    [InlineData(6, "ncclRemoteError")]
    [InlineData(77, "ncclResult_t 77")]
    public void Nccl_codes_map_to_their_nccl_h_names(int code, string name)
    {
        NcclException e = NcclStatus.ToException((ncclResult_t)code, "ncclAllReduce(...)");

        Assert.Equal(name, e.ErrorName);
        Assert.Equal(code, e.Code);
        Assert.Equal("ncclAllReduce(...)", e.Call);
    }
}
