using System.Runtime.InteropServices;

namespace Elixir.Interop;

/// <summary>
/// A <c>cublasHandle_t</c>, created in a device's context. Destroyed with that context current, since the
/// finalizer thread has none of its own.
/// </summary>
internal sealed class CublasHandle : SafeHandle
{
    private readonly nint context;

    internal CublasHandle(nint context, nint cublas)
        : base(0, ownsHandle: true)
    {
        this.context = context;
        SetHandle(cublas);
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() =>
        CudaDriver.cuCtxSetCurrent(context) == CUresult.CUDA_SUCCESS && Cublas.cublasDestroy(handle) == cublasStatus_t.CUBLAS_STATUS_SUCCESS;
}
