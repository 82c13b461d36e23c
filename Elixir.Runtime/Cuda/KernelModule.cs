using Elixir.Interop;
using Elixir.Kernels.Cuda;

namespace Elixir.Cuda;

/// <summary>One kernel file's PTX loaded into a device's context with <c>cuModuleLoadData</c> (the driver JIT-compiles it).</summary>
internal sealed class KernelModule : IDisposable
{
    private readonly CudaModuleHandle _module;
    private readonly string _description;

    internal KernelModule(CudaDevice device, string name)
        : this(device, KernelSources.Read($"{name}.ptx"), $"kernels/{name}.ptx")
    {
    }

    /// <summary>Loads <paramref name="ptx"/>; <paramref name="description"/> names it in errors (a file name).</summary>
    internal unsafe KernelModule(CudaDevice device, ReadOnlySpan<byte> ptx, string description)
    {
        _description = description;

        // The driver reads the PTX image as a NUL-terminated string.
        byte[] image = new byte[ptx.Length + 1];
        ptx.CopyTo(image);
        device.MakeCurrent();
        fixed (byte* text = image)
        {
            CUresult result = CudaDriver.cuModuleLoadData(out nint handle, text);
            if (result == CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION)
            {
                // The committed PTX carries the ISA version of the nvcc that built it; an older driver cannot JIT it.
                throw CudaStatus.ToException(result,
                    $"cuModuleLoadData({description}, PTX ISA {KernelSources.IsaVersionOf(System.Text.Encoding.UTF8.GetString(ptx))}) on a CUDA {CudaDevice.DriverVersion} driver "
                    + "(update the driver, or rebuild the PTX with build-ptx.sh and an nvcc no newer than the driver)");
            }

            result.ThrowIfFailed($"cuModuleLoadData({_description})");
            _module = new CudaModuleHandle(device.Lifetime, handle);
        }
    }

    internal nint Function(string entryPoint)
    {
        CudaDriver.cuModuleGetFunction(out nint function, _module.DangerousGetHandle(), entryPoint).ThrowIfFailed($"cuModuleGetFunction({_description}, {entryPoint})");
        return function;
    }

    public void Dispose() => _module.Dispose();
}
