using System.Runtime.InteropServices;

namespace Elixir.Interop;

internal static partial class CudaDriver
{
    /// <summary><c>CUresult cuDeviceGetCount(int *count)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuDeviceGetCount")]
    internal static partial CUresult cuDeviceGetCount(out int count);

    /// <summary><c>CUresult cuDeviceGet(CUdevice *device, int ordinal)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuDeviceGet")]
    internal static partial CUresult cuDeviceGet(out int device, int ordinal);

    /// <summary><c>CUresult cuDeviceGetName(char *name, int len, CUdevice dev)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuDeviceGetName")]
    internal static unsafe partial CUresult cuDeviceGetName(byte* name, int length, int device);

    /// <summary><c>CUresult cuDeviceGetAttribute(int *pi, CUdevice_attribute attrib, CUdevice dev)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuDeviceGetAttribute")]
    internal static partial CUresult cuDeviceGetAttribute(out int value, CUdevice_attribute attribute, int device);

    /// <summary><c>CUresult cuDeviceTotalMem(size_t *bytes, CUdevice dev)</c>, exported as <c>cuDeviceTotalMem_v2</c>.</summary>
    [LibraryImport(NativeLibraryNames.Cuda, EntryPoint = "cuDeviceTotalMem_v2")]
    internal static partial CUresult cuDeviceTotalMem(out nuint bytes, int device);
}
