namespace Elixir.Checkpoints;

/// <summary>A checkpoint that does not match what is being loaded; the message names the file and the tensor.</summary>
public sealed class CheckpointFormatException : Exception
{
    /// <summary>Creates the exception for tensor <paramref name="tensor"/> of file <paramref name="path"/>.</summary>
    public CheckpointFormatException(string path, string tensor, string message, Exception? inner = null)
        : base($"{path}: tensor '{tensor}': {message}", inner)
    {
        FilePath = path;
        TensorName = tensor;
    }

    /// <summary>The file at fault.</summary>
    public string FilePath { get; }

    /// <summary>The tensor at fault.</summary>
    public string TensorName { get; }
}
