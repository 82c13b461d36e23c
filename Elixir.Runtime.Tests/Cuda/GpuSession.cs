using Elixir.Cuda;
using Elixir.Kernels.Cuda;
using Elixir.Memory;
using Elixir.Memory.Cuda;

namespace Elixir.Runtime.Tests.Cuda;

/// <summary>Device 0 with a backend and kernels, plus helpers to move test data in and out.</summary>
internal sealed class GpuSession : IDisposable
{
    // One retain per device for the whole test run, never released: without it every test's last Dispose destroys
    // the primary context and the next test re-creates it, which costs hundreds of milliseconds on a real GPU.
    private static readonly Dictionary<int, CudaDevice> KeptAlive = [];

    internal GpuSession(int ordinal = 0)
    {
        lock (KeptAlive)
        {
            if (!KeptAlive.ContainsKey(ordinal))
            {
                KeptAlive[ordinal] = CudaDevice.Open(ordinal);
            }
        }

        Device = CudaDevice.Open(ordinal);
        Backend = new CudaMemoryBackend(Device);
        Kernels = new CudaKernels(Backend);
    }

    internal CudaDevice Device { get; }

    internal CudaMemoryBackend Backend { get; }

    internal CudaKernels Kernels { get; }

    internal NativeBuffer Upload<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        using NativeBuffer staging = Backend.Allocate(values.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), MemoryLocation.Host);
        values.CopyTo(staging.All.AsSpan<T>());
        NativeBuffer device = Backend.Allocate(staging.ByteLength, MemoryLocation.Device);
        Backend.Copy(device.All, staging.All);
        Backend.DefaultStream.Synchronize();
        return device;
    }

    internal T[] Download<T>(NativeBuffer device) where T : unmanaged
    {
        using NativeBuffer staging = Backend.Allocate(device.ByteLength, MemoryLocation.Host);
        Backend.Copy(staging.All, device.All);
        Backend.DefaultStream.Synchronize();
        return staging.All.AsSpan<T>().ToArray();
    }

    public void Dispose()
    {
        Kernels.Dispose();
        Backend.Dispose();
        Device.Dispose();
    }
}
