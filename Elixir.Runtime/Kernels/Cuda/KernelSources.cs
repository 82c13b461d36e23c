using System.Security.Cryptography;
using System.Text;

namespace Elixir.Kernels.Cuda;

/// <summary>
/// The kernels' embedded PTX and the sources it was built from. <c>build-ptx.sh</c> writes
/// <c>// source-sha256 HASH</c> as each PTX file's first line, HASH being the SHA-256 of the <c>.cu</c> file
/// followed by <c>dtype.cuh</c>, so a source edited without rebuilding is detected.
/// </summary>
internal static class KernelSources
{
    internal const string StampPrefix = "// source-sha256 ";

    /// <summary>The kernel files, one module each, as named in <c>Kernels/Cuda/Sources/</c>.</summary>
    internal static readonly string[] Names = ["scale", "cast", "nonfinite", "sumsq", "adam", "sgd"];

    /// <summary>
    /// Where kernel file <paramref name="kernel"/> is in <see cref="Names"/>, so callers look kernels up by name
    /// and a reordered list cannot swap them; throws naming the files when there is none.
    /// </summary>
    internal static int IndexOf(string kernel)
    {
        int index = Array.IndexOf(Names, kernel);
        return index >= 0
            ? index
            : throw new ArgumentException($"There is no kernel file '{kernel}'; the kernel files are {string.Join(", ", Names)}.", nameof(kernel));
    }

    internal static byte[] Read(string fileName)
    {
        using Stream stream = typeof(KernelSources).Assembly.GetManifestResourceStream($"kernels/{fileName}")
            ?? throw new InvalidOperationException($"The kernel resource kernels/{fileName} is missing from {typeof(KernelSources).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The SHA-256 of <c>NAME.cu</c> followed by <c>dtype.cuh</c>, in lower-case hex.</summary>
    internal static string SourceHash(string name) =>
        Convert.ToHexStringLower(SHA256.HashData([.. Read($"{name}.cu"), .. Read("dtype.cuh")]));

    /// <summary>The PTX ISA version (<c>.version X.Y</c>) of <c>NAME.ptx</c>, which sets the oldest driver that can JIT it; empty when absent.</summary>
    internal static string PtxIsaVersion(string name) => IsaVersionOf(Encoding.UTF8.GetString(Read($"{name}.ptx")));

    /// <summary>The PTX ISA version (<c>.version X.Y</c>) of a PTX text; empty when absent.</summary>
    internal static string IsaVersionOf(string ptx)
    {
        foreach (string line in ptx.Split('\n'))
        {
            if (line.StartsWith(".version ", StringComparison.Ordinal))
            {
                return line[".version ".Length..].Trim();
            }
        }

        return string.Empty;
    }

    /// <summary>The hash recorded in the first line of <c>NAME.ptx</c>, or an empty string when it has none.</summary>
    internal static string RecordedHash(string name)
    {
        string ptx = Encoding.UTF8.GetString(Read($"{name}.ptx"));
        int end = ptx.IndexOf('\n');
        string first = end < 0 ? ptx : ptx[..end];
        return first.StartsWith(StampPrefix, StringComparison.Ordinal) ? first[StampPrefix.Length..].Trim() : string.Empty;
    }
}
