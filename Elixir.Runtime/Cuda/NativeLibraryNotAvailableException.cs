namespace Elixir.Cuda;

/// <summary>The CUDA driver or NCCL could not be loaded; the message lists every place that was searched.</summary>
public sealed class NativeLibraryNotAvailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="library">The library's file name.</param>
    /// <param name="searched">The places tried, in order.</param>
    public NativeLibraryNotAvailableException(string library, IReadOnlyList<string> searched)
        : base($"{library} is not available; searched: {string.Join("; ", searched)}.")
    {
        Library = library;
        Searched = searched;
    }

    /// <summary>The library's file name.</summary>
    public string Library { get; }

    /// <summary>The places tried, in order.</summary>
    public IReadOnlyList<string> Searched { get; }
}
