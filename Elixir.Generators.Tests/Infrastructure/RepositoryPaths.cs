using System.Runtime.CompilerServices;

namespace Elixir.Generators.Tests.Infrastructure;

/// <summary>Locates the repository the tests were built from, for reading committed files.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ThisFile())!, "..", ".."));

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
