using System.Runtime.InteropServices;

namespace Elixir.Interop;

/// <summary>
/// Finds a native library without ever throwing: an override variable, when set, is the only place tried
/// (a wrong override must not be silently replaced by another copy); otherwise the loader's own search by
/// name, then the given folders. The unset variable is listed too, so the error tells how to point at a copy.
/// </summary>
internal static class NativeLibraryProbe
{
    internal static NativeLibraryAvailability Probe(
        string fileName, string overrideVariable, Func<string, string?> environment, IEnumerable<string> folders)
    {
        var searched = new List<string>();
        string? overridePath = environment(overrideVariable);
        if (!string.IsNullOrEmpty(overridePath))
        {
            if (!File.Exists(overridePath))
            {
                searched.Add($"{overrideVariable}={overridePath} (no such file)");
                return new NativeLibraryAvailability(fileName, 0, null, searched);
            }

            searched.Add($"{overrideVariable}={overridePath}");
            return TryLoad(overridePath, fileName, searched);
        }

        searched.Add($"{overrideVariable} (not set)");
        searched.Add($"{fileName} (system loader search path)");
        if (NativeLibrary.TryLoad(fileName, out nint handle))
        {
            return new NativeLibraryAvailability(fileName, handle, fileName, searched);
        }

        foreach (string folder in folders)
        {
            string path = Path.Combine(folder, fileName);
            searched.Add(path);
            if (File.Exists(path) && NativeLibrary.TryLoad(path, out handle))
            {
                return new NativeLibraryAvailability(fileName, handle, path, searched);
            }
        }

        return new NativeLibraryAvailability(fileName, 0, null, searched);
    }

    private static NativeLibraryAvailability TryLoad(string path, string fileName, List<string> searched)
    {
        if (NativeLibrary.TryLoad(path, out nint handle))
        {
            return new NativeLibraryAvailability(fileName, handle, path, searched);
        }

        searched[^1] += " (exists but could not be loaded)";
        return new NativeLibraryAvailability(fileName, 0, null, searched);
    }
}
