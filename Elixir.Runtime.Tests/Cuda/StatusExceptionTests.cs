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
