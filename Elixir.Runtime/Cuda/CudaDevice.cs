using System.Text;
using Elixir.Interop;

namespace Elixir.Cuda;

/// <summary>
/// One GPU and its primary context (the context the CUDA runtime and NCCL also use, so buffers are shared
/// with them). Every backend call makes the context current on its thread first.
/// </summary>
public sealed class CudaDevice : IDisposable
{
    // Per device: how many open CudaDevice objects retain its primary context, and the context's current lifetime.
    private static readonly Dictionary<int, (int Opened, ContextLifetime Lifetime)> Retained = [];
    private static readonly Lock RetainGate = new();

    private readonly int _device;
    private bool _disposed;

    private CudaDevice(int ordinal, int device, ContextLifetime lifetime)
    {
        Ordinal = ordinal;
        _device = device;
        Lifetime = lifetime;
    }

    /// <summary>The device's ordinal, as <c>CUDA_VISIBLE_DEVICES</c> numbers them.</summary>
    public int Ordinal { get; }

    internal nint Context => Lifetime.Context;

    /// <summary>The lifetime of the primary context this object retains; every handle made here is tied to it.</summary>
    internal ContextLifetime Lifetime { get; }

    /// <summary>Opens device <paramref name="ordinal"/>; throws naming the ordinal and the count when out of range.</summary>
    public static CudaDevice Open(int ordinal)
    {
        CudaPlatform.EnsureInitialized();
        CudaDriver.cuDeviceGetCount(out int count).ThrowIfFailed();
        if (ordinal < 0 || ordinal >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, $"CUDA device {ordinal} does not exist; {count} device(s) are visible.");
        }

        CudaDriver.cuDeviceGet(out int device, ordinal).ThrowIfFailed();
        lock (RetainGate)
        {
            CudaDriver.cuDevicePrimaryCtxRetain(out nint context, device).ThrowIfFailed();
            (int opened, ContextLifetime? lifetime) = Retained.TryGetValue(device, out var entry) ? entry : (0, null);
            if (lifetime is null || lifetime.Context != context)
            {
                lifetime?.End();
                lifetime = new ContextLifetime(context, SetCurrent);
            }

            Retained[device] = (opened + 1, lifetime);
            CudaDriver.cuCtxSetCurrent(context).ThrowIfFailed();
            return new CudaDevice(ordinal, device, lifetime);
        }
    }

    /// <summary>The device's name (<c>cuDeviceGetName</c>).</summary>
    public unsafe string Name
    {
        get
        {
            byte* name = stackalloc byte[256];
            CudaDriver.cuDeviceGetName(name, 256, _device).ThrowIfFailed();
            var text = new ReadOnlySpan<byte>(name, 256);
            int end = text.IndexOf((byte)0);
            return Encoding.UTF8.GetString(end < 0 ? text : text[..end]);
        }
    }

    /// <summary>The device's memory in bytes (<c>cuDeviceTotalMem</c>).</summary>
    public long TotalMemory
    {
        get
        {
            CudaDriver.cuDeviceTotalMem(out nuint bytes, _device).ThrowIfFailed();
            return (long)bytes;
        }
    }

    /// <summary>The number of streaming multiprocessors.</summary>
    public int MultiprocessorCount => Attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);

    /// <summary>The compute capability as <c>major.minor</c>.</summary>
    public Version ComputeCapability => new(
        Attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
        Attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR));

    /// <summary>The driver's CUDA version as <c>major.minor</c>.</summary>
    public static Version DriverVersion
    {
        get
        {
            CudaPlatform.EnsureInitialized();
            CudaDriver.cuDriverGetVersion(out int version).ThrowIfFailed();
            return new Version(version / 1000, version % 1000 / 10);
        }
    }

    /// <summary>Free and total device memory in bytes (<c>cuMemGetInfo</c>).</summary>
    public (long Free, long Total) MemoryInfo
    {
        get
        {
            MakeCurrent();
            CudaDriver.cuMemGetInfo(out nuint free, out nuint total).ThrowIfFailed();
            return ((long)free, (long)total);
        }
    }

    /// <summary>Makes this device's context current on the calling thread.</summary>
    internal void MakeCurrent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CudaDriver.cuCtxSetCurrent(Context).ThrowIfFailed();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            lock (RetainGate)
            {
                (int opened, ContextLifetime lifetime) = Retained[_device];
                if (opened == 1)
                {
                    // The last release destroys the context (unless another library still retains it); handles
                    // made in it, leaked or not, must no longer free.
                    Retained.Remove(_device);
                    lifetime.End();
                }
                else
                {
                    Retained[_device] = (opened - 1, lifetime);
                }

                CudaDriver.cuDevicePrimaryCtxRelease(_device).ThrowIfFailed();
            }
        }
    }

    private static CUresult SetCurrent(nint context) => CudaDriver.cuCtxSetCurrent(context);

    private int Attribute(CUdevice_attribute attribute)
    {
        CudaDriver.cuDeviceGetAttribute(out int value, attribute, _device).ThrowIfFailed();
        return value;
    }
}
