namespace Elixir.Interop;

/// <summary>A <c>cuMemAlloc</c> device allocation.</summary>
internal sealed class DeviceMemoryHandle(ContextLifetime lifetime, nint pointer) : ContextBoundHandle(lifetime, pointer)
{
    protected override string DestroyCall => "cuMemFree";

    protected override CUresult Destroy(nint value) => CudaDriver.cuMemFree((ulong)value);
}

/// <summary>A <c>cuMemHostAlloc</c> pinned host allocation.</summary>
internal sealed class PinnedHostMemoryHandle(ContextLifetime lifetime, nint pointer) : ContextBoundHandle(lifetime, pointer)
{
    protected override string DestroyCall => "cuMemFreeHost";

    protected override CUresult Destroy(nint value) => CudaDriver.cuMemFreeHost(value);
}

/// <summary>A <c>CUstream</c>.</summary>
internal sealed class CudaStreamHandle(ContextLifetime lifetime, nint stream) : ContextBoundHandle(lifetime, stream)
{
    protected override string DestroyCall => "cuStreamDestroy";

    protected override CUresult Destroy(nint value) => CudaDriver.cuStreamDestroy(value);
}

/// <summary>A <c>CUevent</c>.</summary>
internal sealed class CudaEventHandle(ContextLifetime lifetime, nint cudaEvent) : ContextBoundHandle(lifetime, cudaEvent)
{
    protected override string DestroyCall => "cuEventDestroy";

    protected override CUresult Destroy(nint value) => CudaDriver.cuEventDestroy(value);
}

/// <summary>A <c>CUmodule</c>.</summary>
internal sealed class CudaModuleHandle(ContextLifetime lifetime, nint module) : ContextBoundHandle(lifetime, module)
{
    protected override string DestroyCall => "cuModuleUnload";

    protected override CUresult Destroy(nint value) => CudaDriver.cuModuleUnload(value);
}
