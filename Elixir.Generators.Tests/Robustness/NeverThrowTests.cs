using Elixir.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Elixir.Generators.Tests.Robustness;

/// <summary>
/// Declarations that used to throw inside the generator (CS8785, which stops generation for every layout of
/// the compilation) or to emit code that did not compile. Each now gives an ELX diagnostic or clean code.
/// </summary>
public sealed class NeverThrowTests
{
    [Theory]
    [InlineData("[Tensor(null)]", "ELX0004", "its shape is null")]
    [InlineData("[Tensor(\"4\", null)]", "ELX0004", "dimension 1 is null")]
    [InlineData("[Tensor(new string[] { null })]", "ELX0004", "dimension 0 is null")]
    public void NullShapes_AreReported(string attribute, string id, string message)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(Layout($"{attribute} public partial Span<float> W {{ get; }}"));

        Assert.Null(outcome.Exception);
        Diagnostic diagnostic = Assert.Single(outcome.Diagnostics, d => d.Id.StartsWith("ELX", StringComparison.Ordinal));
        Assert.Equal(id, diagnostic.Id);
        Assert.EndsWith(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void NullDimensions_MeansAnyName()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(Layout("[Tensor(\"C\")] public partial Span<float> W { get; }", "Dimensions = null"));

        Assert.Null(outcome.Exception);
        Assert.Empty(outcome.Diagnostics);
        Assert.Empty(outcome.CompilationErrors);
    }

    [Fact]
    public void LayoutsWhoseNamesDifferOnlyInCase_GetDistinctHintNames_AndCompile()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            "namespace Demo;\n[ChunkLayout] public partial struct Layer { [Tensor(\"4\")] public partial Span<float> W { get; } }",
            "namespace Demo;\n[ChunkLayout] public partial struct layer { [Tensor(\"2\")] public partial Span<float> W { get; } }");

        Assert.Null(outcome.Exception);
        Assert.Empty(outcome.Diagnostics);
        string[] hints = outcome.Result.Results.Single().GeneratedSources.Select(s => s.HintName).ToArray();
        Assert.Equal(2, hints.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Empty(outcome.CompilationErrors);
        Assert.Empty(outcome.GeneratedCodeProblems);
    }

    [Theory]
    [InlineData("namespace @class.G;\n[ChunkLayout] public partial struct L { [Tensor(\"4\")] public partial Span<float> @int { get; } }")]
    [InlineData("[ChunkLayout] public partial struct @struct { [Tensor(\"4\")] public partial Span<float> @class { get; } }")]
    [InlineData("namespace N.@namespace { public partial class @event { [ChunkLayout] internal partial struct @var { [Tensor(\"C\")] internal partial Span<float> @value { get; } } } }")]
    [InlineData("[ChunkLayout] public partial struct nameof { [Tensor(\"C\")] public partial Span<float> var { get; } }")]
    [InlineData("public static partial class Outer { public partial struct Mid { [ChunkLayout] public partial struct Δέλτα { [Tensor(\"n_ω\")] public partial Span<float> Βάρος { get; } } } }")]
    public void EscapedAndUnicodeNames_GenerateCompilingCode(string source)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        Assert.Null(outcome.Exception);
        Assert.Empty(outcome.Diagnostics);
        GeneratedSourceResult generated = Assert.Single(outcome.Result.Results.Single().GeneratedSources);
        Assert.Matches("^[A-Za-z0-9_.]+\\.[0-9a-f]{16}\\.g\\.cs$", generated.HintName);
        Assert.Empty(outcome.GeneratedCodeProblems);
    }

    [Fact]
    public void ASecondChunkLayoutOnAnotherPart_IsLeftToTheCompiler()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            "[ChunkLayout] public partial struct L { [Tensor(\"4\")] public partial Span<float> W { get; } }",
            "[ChunkLayout] public partial struct L { }");

        Assert.Null(outcome.Exception);
        Assert.Single(outcome.Result.Results.Single().GeneratedSources);
        Assert.Contains(outcome.CompilationProblems, d => d.Id == "CS0579");
        Assert.Empty(outcome.GeneratedCodeProblems);
    }

    [Theory]
    [InlineData("CheckIndex")]
    [InlineData("_states")]
    [InlineData("_counts")]
    [InlineData("s_names")]
    [InlineData("builder")]
    [InlineData("dimensions")]
    [InlineData("d0")]
    [InlineData("dim_C")]
    public void TensorNamesLikeGeneratedPrivateMembers_Compile(string name)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(Layout(
            $"[Tensor(\"C\")] public partial Span<float> {name} {{ get; }}\n    [Tensor(\"4\")] public partial Span<float> Other {{ get; }}"));

        Assert.Empty(outcome.Diagnostics);
        Assert.Empty(outcome.CompilationErrors);
    }

    [Theory]
    [InlineData("DeviceViews")]
    [InlineData("LayoutName")]
    [InlineData("StateCounter")]
    [InlineData("Table")]
    public void LayoutTypeNamedLikeAGeneratedMember_IsReported(string name)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            $"[ChunkLayout] public partial struct {name} {{ [Tensor(\"4\")] public partial Span<float> W {{ get; }} }}");

        Diagnostic diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Equal("ELX0008", diagnostic.Id);
        Assert.Contains("its name is also the name of a member the generator emits into it; reserved names are ", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(outcome.CompilationErrors);
    }

    [Fact]
    public void FileLocalLayout_IsReported()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run("[ChunkLayout] file partial struct L { [Tensor(\"4\")] public partial Span<float> W { get; } }");

        Diagnostic diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Equal("ELX0008", diagnostic.Id);
        Assert.EndsWith("it is a file-local type, which the generated file cannot extend", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(outcome.GeneratedCodeProblems);
    }

    [Theory]
    [InlineData("[Tensor(\"C *\")] public partial Span<float> W { get; }\n    [Tensor(\"4\")] public partial Span<float> V { get; }")]
    [InlineData("[Tensor(\"4\")] public partial Span<double> W { get; }")]
    [InlineData("[Tensor(\"4\")] public partial Span<float> Device { get; }")]
    [InlineData("[Tensor(\"4\", ExternalName = \"\")] internal readonly partial Span<float> W { get; }")]
    public void RejectedLayout_GetsNoCS9248(string member)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(Layout(member));

        Assert.NotEmpty(outcome.Diagnostics);
        Assert.Empty(outcome.CompilationErrors);
    }

    [Fact]
    public void RejectedGenericLayout_GetsNoCS9248()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            "public partial class Outer { [ChunkLayout] public partial struct G<T> { [Tensor(\"4\")] public partial Span<float> W { get; } } }");

        Assert.Equal("ELX0008", Assert.Single(outcome.Diagnostics).Id);
        Assert.Empty(outcome.CompilationErrors);
    }

    private static string Layout(string member, string arguments = "") => $$"""
        [ChunkLayout({{arguments}})]
        public partial struct L
        {
            {{member}}
        }
        """;
}
