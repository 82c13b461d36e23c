using System.Security.Cryptography;
using System.Text;

namespace Elixir.Samples.Models.Cuda;

/// <summary>
/// The GPU model's embedded PTX and the CUDA C it was built from. <c>build-ptx.sh</c> writes
/// <c>// source-sha256 HASH</c> as each PTX file's first line, HASH being the SHA-256 of the <c>.cu</c> file
/// followed by <c>common.cuh</c>, so a source edited without rebuilding is detected by a test.
/// </summary>
public static class Gpt2CudaSources
{
    /// <summary>The first line's prefix in each PTX file.</summary>
    public const string StampPrefix = "// source-sha256 ";

    /// <summary>The kernel files, one module each.</summary>
    public static IReadOnlyList<string> Names { get; } = ["embedding", "layernorm", "pointwise", "attention", "crossentropy"];

    /// <summary>The bytes of the embedded file <paramref name="fileName"/> (such as <c>attention.ptx</c>).</summary>
    public static byte[] Read(string fileName)
    {
        using Stream stream = typeof(Gpt2CudaSources).Assembly.GetManifestResourceStream($"gpt2-cuda/{fileName}")
            ?? throw new InvalidOperationException($"The resource gpt2-cuda/{fileName} is missing from {typeof(Gpt2CudaSources).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The SHA-256 of <c>NAME.cu</c> followed by <c>common.cuh</c>, in lower-case hex.</summary>
    public static string SourceHash(string name) =>
        Convert.ToHexStringLower(SHA256.HashData([.. Read($"{name}.cu"), .. Read("common.cuh")]));

    /// <summary>The hash recorded in the first line of <c>NAME.ptx</c>, or an empty string when it has none.</summary>
    public static string RecordedHash(string name)
    {
        string ptx = Encoding.UTF8.GetString(Read($"{name}.ptx"));
        int end = ptx.IndexOf('\n');
        string first = end < 0 ? ptx : ptx[..end];
        return first.StartsWith(StampPrefix, StringComparison.Ordinal) ? first[StampPrefix.Length..].Trim() : string.Empty;
    }
}
