namespace Elixir.Generators.Tests.Infrastructure;

/// <summary>Locates the repository the tests were built from, for reading committed files.</summary>
/// <remarks>
/// Found by walking up from the test binaries to <c>Elixir.sln</c>, not from the compiler's file paths: a CI build
/// maps those to <c>/_/</c> (ContinuousIntegrationBuild), where no file can be read.
/// </remarks>
internal static class RepositoryPaths
{
    private const string Marker = "Elixir.sln";

    public static string Root { get; } = FindRoot();

    /// <summary>The folder of this test project's committed snapshots.</summary>
    public static string Snapshots => Path.Combine(Root, "Elixir.Generators.Tests", "Snapshots");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, Marker)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No {Marker} above {AppContext.BaseDirectory}: the tests must run from their build output inside the repository.");
    }
}
