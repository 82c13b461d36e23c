namespace Elixir.Generators.Tests.Infrastructure;

/// <summary>Reads the sample layouts' source files, so snapshots cover the layouts the project ships.</summary>
internal static class SampleSources
{
    public static string Read(string fileName) =>
        File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Elixir.Samples", "Layouts", fileName));
}
