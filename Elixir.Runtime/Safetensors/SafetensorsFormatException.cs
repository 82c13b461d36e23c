namespace Elixir.Safetensors;

/// <summary>A safetensors file whose header or layout breaks the format; the message names the file and the numbers.</summary>
public sealed class SafetensorsFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/> with a message that says what is wrong.</summary>
    public SafetensorsFormatException(string path, string message, Exception? inner = null)
        : base($"{path}: {message}", inner)
    {
        FilePath = path;
    }

    /// <summary>The file that failed to parse.</summary>
    public string FilePath { get; }
}
