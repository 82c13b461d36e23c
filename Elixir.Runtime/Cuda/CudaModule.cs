using Elixir.Memory;
using Elixir.Memory.Cuda;

namespace Elixir.Cuda;

/// <summary>
/// A user's PTX module loaded into a GPU's context (the driver JIT-compiles it for the device), the way the
/// runtime loads its own kernels. Build PTX for <c>compute_80</c> with an nvcc no newer than the drivers it
/// will meet (PTX ISA 7.8 from CUDA 11.8 loads on every driver since); launch its kernels with
/// <see cref="Kernel(string)"/> on the engine's compute stream.
/// </summary>
public sealed class CudaModule : IDisposable
{
    private readonly KernelModule module;

    /// <summary>Loads the PTX text <paramref name="ptx"/> into <paramref name="backend"/>'s device.</summary>
    /// <param name="backend">The backend whose device runs the kernels.</param>
    /// <param name="ptx">The PTX text (UTF-8, no terminating NUL needed).</param>
    /// <param name="name">The module's name in errors, such as its file name.</param>
    /// <exception cref="CudaException">The driver refused the PTX (its ISA is newer than the driver, or it does not assemble).</exception>
    public CudaModule(CudaMemoryBackend backend, ReadOnlySpan<byte> ptx, string name)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (ptx.IsEmpty)
        {
            throw new ArgumentException($"The PTX of module '{name}' is empty.", nameof(ptx));
        }

        Backend = backend;
        Name = name;
        module = new KernelModule(backend.Device, ptx, name);
    }

    /// <summary>Loads the PTX file at <paramref name="path"/> into <paramref name="backend"/>'s device.</summary>
    public static CudaModule Load(CudaMemoryBackend backend, string path) => new(backend, File.ReadAllBytes(path), path);

    /// <summary>The backend whose device holds the module.</summary>
    public CudaMemoryBackend Backend { get; }

    /// <summary>The module's name in errors.</summary>
    public string Name { get; }

    /// <summary>The kernel <paramref name="entryPoint"/> (its <c>extern "C"</c> name); look kernels up once, launch them often.</summary>
    /// <exception cref="CudaException">The module has no such kernel (<c>CUDA_ERROR_NOT_FOUND</c>).</exception>
    public CudaKernel Kernel(string entryPoint)
    {
        ArgumentException.ThrowIfNullOrEmpty(entryPoint);
        return new CudaKernel(this, entryPoint, module.Function(entryPoint));
    }

    /// <summary>The stream <paramref name="stream"/> stands for, checked to belong to this module's backend.</summary>
    internal nint StreamHandle(IStream stream) => Backend.StreamHandle(stream);

    /// <inheritdoc/>
    public void Dispose() => module.Dispose();
}
