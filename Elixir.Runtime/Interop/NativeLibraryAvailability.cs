namespace Elixir.Interop;

/// <summary>
/// The outcome of looking for one native library: its handle when found, otherwise every place that was
/// tried, so the error a caller sees says exactly what to install or which variable to set.
/// </summary>
internal sealed record NativeLibraryAvailability(string Name, nint Handle, string? LoadedFrom, IReadOnlyList<string> Searched)
{
    internal bool IsAvailable => Handle != 0;

    internal string Describe() => IsAvailable
        ? $"{Name} loaded from {LoadedFrom}."
        : $"{Name} is not available; searched: {string.Join("; ", Searched)}.";
}
