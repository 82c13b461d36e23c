namespace Elixir.Interop;

/// <summary>The process-wide lookup of the CUDA driver, NCCL and cuBLAS, made once on first use.</summary>
internal static class NativeLibraries
{
    private static readonly Lazy<NativeLibraryAvailability> CudaLookup = new(() => NativeLibraryProbe.Probe(
        NativeLibraryNames.Cuda, NativeLibraryNames.CudaOverrideVariable, Environment.GetEnvironmentVariable, []));

    private static readonly Lazy<NativeLibraryAvailability> NcclLookup = new(() => NativeLibraryProbe.Probe(
        NativeLibraryNames.Nccl, NativeLibraryNames.NcclOverrideVariable, Environment.GetEnvironmentVariable,
        PythonNcclFolders.Enumerate(Environment.GetEnvironmentVariable)));

    private static readonly Lazy<NativeLibraryAvailability> CublasLookup = new(() => CublasLibrary.Probe(Environment.GetEnvironmentVariable));

    internal static NativeLibraryAvailability Cuda => CudaLookup.Value;

    internal static NativeLibraryAvailability Nccl => NcclLookup.Value;

    internal static NativeLibraryAvailability Cublas => CublasLookup.Value;
}
