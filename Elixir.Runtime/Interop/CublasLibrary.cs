namespace Elixir.Interop;

/// <summary>
/// Finds cuBLAS. Its file name carries the CUDA major version (<c>libcublas.so.13</c> from CUDA 13, <c>.12</c>,
/// <c>.11</c>), so each name is tried, newest first, in the loader's search path, the Python wheels' folders
/// (<c>nvidia/cu13/lib</c> of CUDA 13's single wheel, <c>nvidia/cublas/lib</c> of the per-library wheels PyTorch
/// depends on) and the CUDA install's <c>lib64</c>. <c>ELIXIR_CUBLAS_LIBRARY</c>, when set, is the only place tried.
/// </summary>
internal static class CublasLibrary
{
    internal static readonly string[] FileNames = ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11"];

    internal static NativeLibraryAvailability Probe(Func<string, string?> environment)
    {
        string[] folders = [.. Folders(environment)];
        if (environment(NativeLibraryNames.CublasOverrideVariable) is { Length: > 0 })
        {
            return NativeLibraryProbe.Probe(FileNames[0], NativeLibraryNames.CublasOverrideVariable, environment, []);
        }

        var searched = new List<string>();
        foreach (string fileName in FileNames)
        {
            NativeLibraryAvailability found = NativeLibraryProbe.Probe(fileName, NativeLibraryNames.CublasOverrideVariable, environment, folders);
            if (found.IsAvailable)
            {
                return found;
            }

            // Every probe lists the unset override first; keep it once.
            searched.AddRange(searched.Count == 0 ? found.Searched : found.Searched.Skip(1));
        }

        return new NativeLibraryAvailability("libcublas.so", 0, null, searched);
    }

    internal static IEnumerable<string> Folders(Func<string, string?> environment)
    {
        foreach (string sitePackages in PythonNcclFolders.SitePackages(environment))
        {
            yield return Path.Combine(sitePackages, "nvidia", "cu13", "lib");
            yield return Path.Combine(sitePackages, "nvidia", "cublas", "lib");
        }

        foreach (string variable in (string[])["CUDA_HOME", "CUDA_PATH"])
        {
            if (environment(variable) is { Length: > 0 } root)
            {
                yield return Path.Combine(root, "lib64");
            }
        }

        yield return "/usr/local/cuda/lib64";
    }
}
