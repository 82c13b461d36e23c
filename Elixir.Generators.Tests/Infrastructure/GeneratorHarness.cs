using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Elixir.Generators.Tests.Infrastructure;

/// <summary>Compiles test sources against the runtime and runs the layout generator over them.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions =
        new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    private const string GlobalUsings = """
        global using System;
        global using Elixir.Layout;
        global using Elixir.Numerics;
        """;

    /// <summary>The framework's System assemblies and the runtime: what a new console project compiles against.</summary>
    public static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(Elixir.Layout.LayoutTable).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray());

    /// <summary>A compilation of <paramref name="sources"/> (files <c>Source0.cs</c>, ...) plus global usings.</summary>
    public static CSharpCompilation Compile(params string[] sources) => CSharpCompilation.Create(
        "LayoutTests",
        sources.Select((source, i) => Parse(source, $"Source{i}.cs")).Append(Parse(GlobalUsings, "GlobalUsings.cs")),
        References.Value,
        new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            allowUnsafe: true,
            deterministic: true));

    public static SyntaxTree Parse(string source, string path) =>
        CSharpSyntaxTree.ParseText(source, ParseOptions, path, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>A driver with step tracking on, so incremental tests can read run reasons.</summary>
    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new ChunkLayoutGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once over <paramref name="sources"/>.</summary>
    public static GeneratorOutcome Run(params string[] sources)
    {
        CSharpCompilation compilation = Compile(sources);
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(
            compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics, TestContext.Current.CancellationToken);
        return new GeneratorOutcome(driver.GetRunResult(), output, diagnostics);
    }
}

/// <summary>The result of one generator run.</summary>
internal sealed record GeneratorOutcome(GeneratorDriverRunResult Result, Compilation Output, ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>The single generated source; fails when there is not exactly one.</summary>
    public string SingleSource => Assert.Single(Result.Results.Single().GeneratedSources).SourceText.ToString();

    /// <summary>The exception the generator threw (reported to users as CS8785), or null.</summary>
    public Exception? Exception => Result.Results.Single().Exception;

    /// <summary>Errors of the compilation including the generated code (test sources may lack doc comments).</summary>
    public ImmutableArray<Diagnostic> CompilationErrors => CompilationProblems
        .Where(d => d.Severity == DiagnosticSeverity.Error)
        .ToImmutableArray();

    /// <summary>Errors and warnings the compiler reports inside generated files.</summary>
    public ImmutableArray<Diagnostic> GeneratedCodeProblems => CompilationProblems
        .Where(d => d.Location.SourceTree is { } tree && Result.GeneratedTrees.Contains(tree))
        .ToImmutableArray();

    /// <summary>Errors and warnings of the compilation including the generated code, generator diagnostics excluded.</summary>
    public ImmutableArray<Diagnostic> CompilationProblems => Output
        .GetDiagnostics(TestContext.Current.CancellationToken)
        .Where(d => d.Severity >= DiagnosticSeverity.Warning)
        .ToImmutableArray();
}
