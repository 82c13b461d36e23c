using System.IO.Compression;
using System.Text;
using System.Xml.Linq;
using Elixir.Safetensors;

namespace Elixir.Generators.Tests.Packaging;

/// <summary>
/// The packages as a new user gets them: packed from the sources, then used from a fresh console project outside
/// the solution (referencing Elixir.Runtime by version) and installed as a .NET tool (Elixir.Cli), all offline.
/// </summary>
public sealed class PackagingTests(PackedFeed feed) : IClassFixture<PackedFeed>
{
    [Fact]
    public void Pack_PrintsNoWarnings() =>
        Assert.DoesNotContain("warning", feed.PackOutput, StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void RuntimePackage_CarriesTheGeneratorDocsReadmeLicenseAndMetadata()
    {
        using ZipArchive archive = ZipFile.OpenRead(feed.Package("Elixir.Runtime"));
        string[] entries = [.. archive.Entries.Select(e => e.FullName)];
        Assert.Contains("analyzers/dotnet/cs/Elixir.Generators.dll", entries);
        Assert.Contains("lib/net10.0/Elixir.Runtime.dll", entries);
        Assert.Contains("lib/net10.0/Elixir.Runtime.xml", entries);
        Assert.Contains("README.md", entries);
        Assert.Contains("LICENSE", entries);
        Assert.Contains("NOTICE", entries);

        XElement metadata = Nuspec(archive);
        Assert.Equal("Elixir.Runtime", Value(metadata, "id"));
        Assert.Equal(PackedFeed.Version, Value(metadata, "version"));
        Assert.Equal("Apache-2.0", Value(metadata, "license"));
        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.Contains("ColossalAI", Value(metadata, "description"), StringComparison.Ordinal);
        Assert.Contains("source-generator", Value(metadata, "tags"), StringComparison.Ordinal);
        XElement repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Equal(PackedFeed.RepositoryUrl, repository.Attribute("url")?.Value);
        Assert.Equal(feed.Commit, repository.Attribute("commit")?.Value);
        Assert.Contains("Apache License", Read(archive, "LICENSE"), StringComparison.Ordinal);
    }

    [Fact]
    public void SymbolPackage_HoldsAPdbWithSourceLinkToTheCommit()
    {
        using ZipArchive archive = ZipFile.OpenRead(feed.SymbolPackage("Elixir.Runtime"));
        ZipArchiveEntry pdb = archive.GetEntry("lib/net10.0/Elixir.Runtime.pdb")!;
        Assert.NotNull(pdb);
        using var stream = new MemoryStream();
        using (Stream from = pdb.Open())
        {
            from.CopyTo(stream);
        }

        // The Source Link map is a JSON blob in the portable PDB; it sends /_/* to the commit's raw files.
        string text = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains($"https://raw.githubusercontent.com/elixir-dotnet/elixir/{feed.Commit}/*", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AFreshConsoleProject_RunsThePackageReadmesProgram_TrainingTwoRanksAndReloadingTheCheckpoint()
    {
        string consumer = Directory.CreateDirectory(Path.Combine(feed.Work, "consumer")).FullName;
        File.WriteAllText(Path.Combine(consumer, "NuGet.config"), feed.NuGetConfig(Path.Combine(feed.Work, "consumer-packages")));
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Elixir.Runtime" Version="{PackedFeed.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), ReadmeCodeTests.CodeBlocks("Elixir.Runtime/PACKAGE.md").First(b => !b.Fragment).Code);

        string build = ProcessRunner.Dotnet(consumer, null, "build", "-c", "Release");
        Assert.Contains("0 Warning(s)", build, StringComparison.Ordinal);
        string output = ProcessRunner.Dotnet(consumer, null, Path.Combine(consumer, "bin", "Release", "net10.0", "Consumer.dll"));

        // The program learns y = w·x + 1 for w = (0.5, -1, 2, 0.25) and reloads what it saved.
        Assert.Equal("w = 0.50, -1.00, 2.00, 0.25; reloaded at step 300: identical", output.Trim());
        SafetensorsHeader header = SafetensorsHeader.Read(Path.Combine(consumer, "checkpoints", "linear.safetensors"));
        Assert.Equal([4L], header["linear.Weight"].Shape);
        Assert.Equal([1L], header["linear.Bias"].Shape);
        Assert.Equal("F32", header["linear.Weight"].DType);
    }

    [Fact]
    public void TheTool_InstallsFromTheFeed_AndPlansAndTrains()
    {
        string directory = Directory.CreateDirectory(Path.Combine(feed.Work, "tool-user")).FullName;
        File.WriteAllText(Path.Combine(directory, "NuGet.config"), feed.NuGetConfig(Path.Combine(feed.Work, "tool-packages")));
        string tools = Path.Combine(feed.Work, "tools");
        ProcessRunner.Dotnet(directory, new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(feed.Work, "tool-packages") },
            "tool", "install", "Elixir.Cli", "--version", PackedFeed.Version, "--tool-path", tools, "--add-source", feed.Feed);
        string elixir = Path.Combine(tools, OperatingSystem.IsWindows() ? "elixir.exe" : "elixir");

        var (code, output, error) = ProcessRunner.Run(elixir, directory, null, "plan", "--preset", "gpt2", "--world-size", "2");
        Assert.True(code == 0, error);
        Assert.StartsWith("Model:        preset gpt2: 148 parameters, 124,439,808 elements", output, StringComparison.Ordinal);

        string checkpoints = Path.Combine(directory, "ck");
        (code, output, error) = ProcessRunner.Run(elixir, directory, null,
            "train", "--steps", "3", "--log-every", "1", "--channels", "16", "--heads", "2", "--layers", "1", "--sequence-length", "8",
            "--checkpoint-dir", checkpoints);
        Assert.True(code == 0, error);
        Assert.Contains("done: 3 steps (to step 3)", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(checkpoints, "gpt2-char.safetensors.index.json")), output);

        (code, output, error) = ProcessRunner.Run(elixir, directory, null, "train", "--ranks", "0");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("elixir: --ranks must be positive, got 0", error, StringComparison.Ordinal);
    }

    private static XElement Nuspec(ZipArchive archive)
    {
        ZipArchiveEntry entry = archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using Stream stream = entry.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string Value(XElement metadata, string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

    private static string Read(ZipArchive archive, string name)
    {
        using var reader = new StreamReader(archive.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }
}
