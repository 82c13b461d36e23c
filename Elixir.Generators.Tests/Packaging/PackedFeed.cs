using Elixir.Generators.Tests.Infrastructure;

namespace Elixir.Generators.Tests.Packaging;

/// <summary>
/// Packs Elixir.Runtime and Elixir.Cli once, from a copy of the sources in a fresh git repository (so Source Link
/// and the repository commit have something to record), into a local folder feed. Restores never need the
/// network: the only source is the feed, everything else comes from the machine's package cache, and packed
/// packages never enter that cache.
/// </summary>
public sealed class PackedFeed : IDisposable
{
    public const string Version = "0.1.0";
    public const string RepositoryUrl = "https://github.com/elixir-dotnet/elixir";

    private static readonly string[] CopiedFiles = ["Directory.Build.props", "Directory.Packages.props", "global.json", "LICENSE", "NOTICE"];
    private static readonly string[] CopiedProjects = ["Elixir.Runtime", "Elixir.Generators", "Elixir.Samples", "Elixir.Cli"];

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("elixir-pack-");

    public PackedFeed()
    {
        Sources = CopySources();
        Commit = CommitSources();
        Feed = Directory.CreateDirectory(Path.Combine(Work, "feed")).FullName;

        // Packed one after the other: the runtime's pack takes the generator from its Release output, which a
        // solution build would leave in Debug for a project the solution does not list.
        PackOutput = string.Concat(new[] { "Elixir.Runtime", "Elixir.Cli" }.Select(project =>
            ProcessRunner.Dotnet(Sources, null, "pack", project, "-c", "Release", "-o", Feed, "-p:ContinuousIntegrationBuild=true")));
    }

    /// <summary>The temporary folder everything lives in.</summary>
    public string Work => _work.FullName;

    /// <summary>The copied sources.</summary>
    public string Sources { get; }

    /// <summary>The commit the copied sources were packed from.</summary>
    public string Commit { get; }

    /// <summary>The folder feed holding the packages.</summary>
    public string Feed { get; }

    /// <summary>What the pack printed.</summary>
    public string PackOutput { get; }

    public string Package(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    public string SymbolPackage(string id) => Path.Combine(Feed, $"{id}.{Version}.snupkg");

    /// <summary>A nuget.config whose only source is the feed, with the machine's package cache as a fallback.</summary>
    public string NuGetConfig(string packagesFolder) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <config>
            <add key="globalPackagesFolder" value="{packagesFolder}" />
          </config>
          <packageSources>
            <clear />
            <add key="local" value="{Feed}" />
          </packageSources>
          <fallbackPackageFolders>
            <clear />
            <add key="cache" value="{MachinePackageCache()}" />
          </fallbackPackageFolders>
        </configuration>
        """;

    public void Dispose() => _work.Delete(recursive: true);

    private string CopySources()
    {
        string target = Directory.CreateDirectory(Path.Combine(Work, "src")).FullName;
        foreach (string file in CopiedFiles)
        {
            File.Copy(Path.Combine(RepositoryPaths.Root, file), Path.Combine(target, file));
        }

        foreach (string project in CopiedProjects)
        {
            string from = Path.Combine(RepositoryPaths.Root, project);
            foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(from, file);
                if (relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                    || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    continue;
                }

                string destination = Path.Combine(target, project, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                File.Copy(file, destination);
            }
        }

        Directory.CreateDirectory(Path.Combine(Work, "empty-feed"));
        File.WriteAllText(Path.Combine(target, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Path.Combine(Work, "unused-packages")}" />
              </config>
              <packageSources>
                <clear />
                <add key="empty" value="{Path.Combine(Work, "empty-feed")}" />
              </packageSources>
              <fallbackPackageFolders>
                <clear />
                <add key="cache" value="{MachinePackageCache()}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        return target;
    }

    private string CommitSources()
    {
        Git("init", "-q");
        Git("remote", "add", "origin", RepositoryUrl + ".git");
        Git("add", "-A");
        Git("-c", "user.name=Elixir tests", "-c", "user.email=tests@example.invalid", "commit", "-q", "-m", "sources");
        return Git("rev-parse", "HEAD").Trim();
    }

    private string Git(params string[] arguments)
    {
        var (code, output, error) = ProcessRunner.Run("git", Sources, null, arguments);
        Assert.True(code == 0, $"git {string.Join(' ', arguments)} failed ({code}): {error}");
        return output;
    }

    private static string MachinePackageCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
