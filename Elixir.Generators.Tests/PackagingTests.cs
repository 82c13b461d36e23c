using System.Diagnostics;
using System.IO.Compression;
using Elixir.Generators.Tests.Infrastructure;

namespace Elixir.Generators.Tests;

/// <summary>
/// Packs Elixir.Runtime from an isolated copy of the sources and builds a fresh project that restores the
/// package offline (a local folder feed plus the machine's package cache as fallback) and declares a layout.
/// </summary>
public sealed class PackagingTests
{
    private static readonly string[] CopiedFiles = ["Directory.Build.props", "Directory.Packages.props", "global.json"];
    private static readonly string[] CopiedProjects = ["Elixir.Runtime", "Elixir.Generators"];

    [Fact]
    public void PackedRuntime_CarriesTheGenerator_AndALayoutBuildsAgainstIt()
    {
        DirectoryInfo work = Directory.CreateTempSubdirectory("elixir-pack-");
        try
        {
            string sources = CopySources(work.FullName);
            string feed = Path.Combine(work.FullName, "feed");
            Dotnet(sources, "pack", "Elixir.Runtime", "-c", "Release", "-o", feed);

            string package = Assert.Single(Directory.GetFiles(feed, "Elixir.Runtime.*.nupkg"));
            using (ZipArchive archive = ZipFile.OpenRead(package))
            {
                string[] entries = archive.Entries.Select(e => e.FullName).ToArray();
                Assert.Contains("analyzers/dotnet/cs/Elixir.Generators.dll", entries);
                Assert.Contains("lib/net10.0/Elixir.Runtime.dll", entries);
            }

            string consumer = WriteConsumer(work.FullName, feed);
            string output = Dotnet(consumer, "build", "-c", "Release");

            Assert.Contains("0 Warning(s)", output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(consumer, "bin", "Release", "net10.0", "Consumer.dll")));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string CopySources(string work)
    {
        string target = Directory.CreateDirectory(Path.Combine(work, "src")).FullName;
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

        File.WriteAllText(Path.Combine(target, "NuGet.config"), NuGetConfig(Path.Combine(work, "empty-feed"), Path.Combine(work, "unused-packages")));
        Directory.CreateDirectory(Path.Combine(work, "empty-feed"));
        return target;
    }

    private static string WriteConsumer(string work, string feed)
    {
        string consumer = Directory.CreateDirectory(Path.Combine(work, "consumer")).FullName;
        File.WriteAllText(Path.Combine(consumer, "NuGet.config"), NuGetConfig(feed, Path.Combine(work, "packages")));
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Elixir.Runtime" Version="0.1.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "Tiny.cs"), """
            using Elixir.Layout;

            namespace Consumer;

            [ChunkLayout]
            public partial struct Tiny
            {
                [Tensor("C", "2")] public partial Span<float> Weight { get; }
            }

            public static class Usage
            {
                public static long Bytes(long c) => Tiny.CreateTable(new LayoutDimensions(("C", c))).TotalBytes + Tiny.TensorCount;
            }
            """);
        return consumer;
    }

    // Only the given folder feed is a source; everything else comes from the machine's package cache, so
    // restore never needs the network and the packed Elixir.Runtime never enters the shared cache.
    private static string NuGetConfig(string feed, string packagesFolder) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <config>
            <add key="globalPackagesFolder" value="{packagesFolder}" />
          </config>
          <packageSources>
            <clear />
            <add key="local" value="{feed}" />
          </packageSources>
          <fallbackPackageFolders>
            <clear />
            <add key="cache" value="{MachinePackageCache()}" />
          </fallbackPackageFolders>
        </configuration>
        """;

    private static string MachinePackageCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string Dotnet(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments.Concat(["-nodeReuse:false", "-p:UseSharedCompilation=false"]))
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{output}\n{error.Result}");
        return output;
    }
}
