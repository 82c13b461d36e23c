using Elixir.Interop;

namespace Elixir.Cuda;

/// <summary>One kernel file's PTX loaded into a device's context with <c>cuModuleLoadData</c> (the driver JIT-compiles it).</summary>
internal sealed class KernelModule : IDisposable
{
    private readonly CudaModuleHandle module;

    internal unsafe KernelModule(CudaDevice device, string name)
    {
        byte[] ptx = KernelSources.Read($"{name}.ptx");

        // The driver reads the PTX image as a NUL-terminated string.
        byte[] image = new byte[ptx.Length + 1];
        ptx.CopyTo(image, 0);
        device.MakeCurrent();
        fixed (byte* text = image)
        {
            CudaDriver.cuModuleLoadData(out nint handle, text).ThrowIfFailed();
            module = new CudaModuleHandle(device.Context, handle);
        }
    }

    internal nint Function(string entryPoint)
    {
        CudaDriver.cuModuleGetFunction(out nint function, module.DangerousGetHandle(), entryPoint).ThrowIfFailed();
        return function;
    }

    public void Dispose() => module.Dispose();
}
