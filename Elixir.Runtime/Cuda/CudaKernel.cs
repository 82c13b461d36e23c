using Elixir.Interop;
using Elixir.Memory;
using Elixir.Memory.Cuda;

namespace Elixir.Cuda;

/// <summary>One kernel of a <see cref="CudaModule"/>, launched asynchronously on a stream; launches allocate nothing.</summary>
public sealed class CudaKernel
{
    private readonly CudaModule module;
    private readonly nint function;

    internal CudaKernel(CudaModule module, string entryPoint, nint function)
    {
        this.module = module;
        this.function = function;
        EntryPoint = entryPoint;
    }

    /// <summary>The kernel's name in its module.</summary>
    public string EntryPoint { get; }

    /// <summary>
    /// Queues the kernel on <paramref name="stream"/>: pass the engine's compute stream
    /// (<see cref="CudaMemoryBackend.DefaultStream"/>), on which the gathers of the open scope's chunks are ordered,
    /// so the kernel reads parameters only once they have arrived. Errors in the kernel itself surface at the next
    /// synchronising call.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is 0, or the block has more than 1024 threads.</exception>
    /// <exception cref="CudaException">The driver refused the launch (for example, arguments that do not match the kernel).</exception>
    public unsafe void Launch(Dim3 grid, Dim3 block, in KernelArguments arguments, IStream stream, uint sharedMemoryBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (grid.X == 0 || grid.Y == 0 || grid.Z == 0 || block.X == 0 || block.Y == 0 || block.Z == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(grid), $"Kernel '{EntryPoint}': grid {grid} and block {block} need every dimension ≥ 1.");
        }

        if (block.Volume > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(block), $"Kernel '{EntryPoint}': a block of {block.Volume} threads is more than CUDA's 1024.");
        }

        nint queue = module.StreamHandle(stream);

        // The driver reads each argument through a pointer; copies on the stack give them a fixed address for the call.
        int count = arguments.Count;
        ulong* values = stackalloc ulong[Math.Max(1, count)];
        void** pointers = stackalloc void*[Math.Max(1, count)];
        for (int i = 0; i < count; i++)
        {
            values[i] = arguments[i];
            pointers[i] = values + i;
        }

        module.Backend.MakeCurrent();
        CudaDriver.cuLaunchKernel(function, grid.X, grid.Y, grid.Z, block.X, block.Y, block.Z, sharedMemoryBytes, queue, pointers, null)
            .ThrowIfFailed($"cuLaunchKernel({module.Name}, {EntryPoint}, grid {grid}, block {block})");
    }
}
