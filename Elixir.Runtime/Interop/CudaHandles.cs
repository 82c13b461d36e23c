namespace Elixir.Interop;

/// <summary>A <c>cuMemAlloc</c> device allocation.</summary>
internal sealed class DeviceMemoryHandle(nint context, nint pointer) : ContextBoundHandle(context, pointer)
{
    protected override CUresult Destroy(nint value) => CudaDriver.cuMemFree((ulong)value);
}

/// <summary>A <c>cuMemHostAlloc</c> pinned host allocation.</summary>
internal sealed class PinnedHostMemoryHandle(nint context, nint pointer) : ContextBoundHandle(context, pointer)
{
    protected override CUresult Destroy(nint value) => CudaDriver.cuMemFreeHost(value);
}

/// <summary>A <c>CUstream</c>.</summary>
internal sealed class CudaStreamHandle(nint context, nint stream) : ContextBoundHandle(context, stream)
{
    protected override CUresult Destroy(nint value) => CudaDriver.cuStreamDestroy(value);
}

/// <summary>A <c>CUevent</c>.</summary>
internal sealed class CudaEventHandle(nint context, nint cudaEvent) : ContextBoundHandle(context, cudaEvent)
{
    protected override CUresult Destroy(nint value) => CudaDriver.cuEventDestroy(value);
}

/// <summary>A <c>CUmodule</c>.</summary>
internal sealed class CudaModuleHandle(nint context, nint module) : ContextBoundHandle(context, module)
{
    protected override CUresult Destroy(nint value) => CudaDriver.cuModuleUnload(value);
}
