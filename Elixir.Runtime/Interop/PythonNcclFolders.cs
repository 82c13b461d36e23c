namespace Elixir.Interop;

/// <summary>
/// The <c>nvidia/nccl/lib</c> folders of Python environments, where the <c>nvidia-nccl-cu*</c> wheels (which
/// PyTorch depends on) put <c>libnccl.so.2</c>. Machines that train with PyTorch often have NCCL only there.
/// </summary>
internal static class PythonNcclFolders
{
    private static readonly string[] FixedRoots =
    [
        "/usr/lib", "/usr/local/lib", "/opt/conda/lib",
    ];

    internal static IEnumerable<string> Enumerate(Func<string, string?> environment) =>
        SitePackages(environment).Select(folder => Path.Combine(folder, "nvidia", "nccl", "lib"));

    /// <summary>The <c>site-packages</c> and <c>dist-packages</c> folders of the Python environments this machine may have.</summary>
    internal static IEnumerable<string> SitePackages(Func<string, string?> environment)
    {
        var libRoots = new List<string>();
        foreach (string variable in (string[])["VIRTUAL_ENV", "CONDA_PREFIX"])
        {
            if (environment(variable) is { Length: > 0 } prefix)
            {
                libRoots.Add(Path.Combine(prefix, "lib"));
            }
        }

        if (environment("HOME") is { Length: > 0 } home)
        {
            libRoots.Add(Path.Combine(home, ".local", "lib"));
        }

        libRoots.AddRange(FixedRoots);
        libRoots.AddRange(SafeDirectories("/opt").Select(dir => Path.Combine(dir, ".venv", "lib")));

        var folders = new List<string>();
        foreach (string libRoot in libRoots)
        {
            foreach (string python in SafeDirectories(libRoot, "python3*"))
            {
                folders.Add(Path.Combine(python, "site-packages"));
                folders.Add(Path.Combine(python, "dist-packages"));
            }
        }

        return folders.Distinct(StringComparer.Ordinal);
    }

    private static IEnumerable<string> SafeDirectories(string parent, string pattern = "*")
    {
        try
        {
            return Directory.Exists(parent) ? Directory.GetDirectories(parent, pattern) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
