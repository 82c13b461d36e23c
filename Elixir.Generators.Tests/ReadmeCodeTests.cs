using System.Collections.Immutable;
using Elixir.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Elixir.Generators.Tests;

/// <summary>
/// Every <c>```csharp</c> block of the READMEs is a complete program that compiles, with the layout generator,
/// against the runtime as a new console project sees it (.NET's implicit usings only), unless the line before
/// it is <c>&lt;!-- fragment --&gt;</c>. A README that drifts from the API fails here.
/// </summary>
public sealed class ReadmeCodeTests
{
    private const string FragmentMarker = "<!-- fragment";

    public static TheoryData<string> Readmes => ["README.md", "Elixir.Runtime/PACKAGE.md"];

    // The global usings of a console project with ImplicitUsings enabled.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    // A console project writes no documentation file, so missing XML comments are no warning there.
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    [Theory]
    [MemberData(nameof(Readmes))]
    public void EveryCompleteCSharpBlock_CompilesWithTheGenerator_WithoutWarnings(string readme)
    {
        var programs = CodeBlocks(readme).Where(b => !b.Fragment).ToList();
        Assert.NotEmpty(programs);

        foreach (var block in programs)
        {
            var problems = CompileProgram(block.Code);
            Assert.True(problems.Length == 0,
                $"{readme}, the csharp block at line {block.Line}:\n{string.Join('\n', problems.Select(d => d.ToString()))}");
        }
    }

    [Fact]
    public void TheRepositoryReadme_ShowsThePackageReadmesProgram()
    {
        string package = CodeBlocks("Elixir.Runtime/PACKAGE.md").First(b => !b.Fragment).Code;

        Assert.Contains(package, CodeBlocks("README.md").Select(b => b.Code));
    }

    [Fact]
    public void AMissingUsing_IsReported()
    {
        string program = """
            var model = new Elixir.Engine.ModelDefinition();
            Console.WriteLine(new LayoutDimensions(("N", 4)));
            """;

        Assert.Contains(CompileProgram(program), d => d.Id == "CS0246" && d.GetMessage().Contains("LayoutDimensions", StringComparison.Ordinal));
    }

    /// <summary>The <c>```csharp</c> blocks of <paramref name="readme"/>, with their first line and whether each is marked a fragment.</summary>
    internal static IReadOnlyList<(string Code, int Line, bool Fragment)> CodeBlocks(string readme)
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, readme));
        var blocks = new List<(string, int, bool)>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp")
            {
                continue;
            }

            bool fragment = i > 0 && lines[i - 1].TrimStart().StartsWith(FragmentMarker, StringComparison.Ordinal);
            int end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
            Assert.True(end > i, $"{readme}: the csharp block at line {i + 1} is not closed.");
            blocks.Add((string.Join('\n', lines[(i + 1)..end]), i + 2, fragment));
            i = end;
        }

        return blocks;
    }

    private static ImmutableArray<Diagnostic> CompileProgram(string code)
    {
        var compilation = CSharpCompilation.Create(
            "ReadmeProgram",
            [Parse(code, "Program.cs"), Parse(ImplicitUsings, "GlobalUsings.cs")],
            GeneratorHarness.References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create([new ChunkLayoutGenerator().AsSourceGenerator()], parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics, TestContext.Current.CancellationToken);
        return [.. generatorDiagnostics.Concat(output.GetDiagnostics(TestContext.Current.CancellationToken))
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)];
    }

    private static SyntaxTree Parse(string source, string path) =>
        CSharpSyntaxTree.ParseText(source, ParseOptions, path, cancellationToken: TestContext.Current.CancellationToken);
}
