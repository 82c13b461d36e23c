using Elixir.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Elixir.Generators.Tests;

public sealed class DiagnosticTests
{
    [Fact]
    public void ELX0001_LayoutNotPartial()
    {
        Reported diagnostic = Single("""
            [ChunkLayout]
            public struct Plain
            {
            }
            """);

        AssertAt(diagnostic, "ELX0001", "Plain", line: 2);
        Assert.Contains("'Plain' must be declared 'partial'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Tensor(\"4\")] public Span<float> W => default;", "it is not partial")]
    [InlineData("[Tensor(\"4\")] public partial Span<float> W { get; set; }", "it has a setter")]
    [InlineData("[Tensor(\"4\")] public static partial Span<float> W { get; }", "it is static")]
    [InlineData("[Tensor(\"4\")] public partial float[] W { get; }", "its type is 'float[]'")]
    public void ELX0002_PropertyNotPartialGetOnlySpan(string member, string problem)
    {
        Reported diagnostic = SingleOurs(Layout(member));

        AssertAt(diagnostic, "ELX0002", "W", line: 4);
        Assert.Contains($"Tensor 'W' must be declared as 'partial Span<T> W {{ get; }}': {problem}", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void ELX0003_UnsupportedElementType()
    {
        Reported diagnostic = Single(Layout("[Tensor(\"4\")] public partial Span<double> W { get; }"));

        AssertAt(diagnostic, "ELX0003", "double", line: 4);
        Assert.Contains("'W' has element type 'double'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Tensor] public partial Span<float> W { get; }", "Tensor", "it has no dimensions")]
    [InlineData("[Tensor(\"4\", \"0\")] public partial Span<float> W { get; }", "\"0\"", "dimension '0' is 0; dimensions must be positive")]
    [InlineData("[Tensor(\"2 - 3\")] public partial Span<float> W { get; }", "\"2 - 3\"", "dimension '2 - 3' is -1; dimensions must be positive")]
    [InlineData("[Tensor(\"9223372036854775807 + 1\")] public partial Span<float> W { get; }", "\"9223372036854775807 + 1\"", "dimension '9223372036854775807 + 1' overflows a 64-bit integer (9223372036854775807 + 1)")]
    [InlineData("[Tensor(\"4294967296\", \"4294967296\")] public partial Span<float> W { get; }", "Tensor(\"4294967296\", \"4294967296\")", "its size overflows a 64-bit integer")]
    [InlineData("[Tensor(\"C\", \"4294967296\", \"4294967296\")] public partial Span<float> W { get; }", "Tensor(\"C\", \"4294967296\", \"4294967296\")", "its size overflows a 64-bit integer")]
    [InlineData("[Tensor(\"2305843009213693952\")] public partial Span<float> W { get; }", "Tensor(\"2305843009213693952\")", "its size overflows a 64-bit integer")]
    public void ELX0004_InvalidShape(string member, string located, string problem)
    {
        Reported diagnostic = Single(Layout(member));

        AssertAt(diagnostic, "ELX0004", located, line: 4);
        Assert.Contains($"Tensor 'W' has an invalid shape: {problem}", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Tensor(\"C *\")] public partial Span<float> W { get; }", "\"C *\"", "unexpected end of expression")]
    [InlineData("[Tensor(\"C % 2\")] public partial Span<float> W { get; }", "\"C % 2\"", "unexpected '%' at position 2")]
    [InlineData("[Tensor(\"(C\")] public partial Span<float> W { get; }", "\"(C\"", "missing ')'")]
    [InlineData("[Tensor(\"7 / 2\")] public partial Span<float> W { get; }", "\"7 / 2\"", "7 / 2 is not an exact division")]
    [InlineData("[Tensor(\"C / 0\")] public partial Span<float> W { get; }", "\"C / 0\"", "it divides by zero")]
    public void ELX0005_BadExpression(string member, string located, string problem)
    {
        Reported diagnostic = Single(Layout(member));

        AssertAt(diagnostic, "ELX0005", located, line: 4);
        Assert.EndsWith($"is invalid: {problem}", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void ELX0005_DimensionNotDeclared()
    {
        Reported diagnostic = Single(Layout(
            "[Tensor(\"C\", \"4*c\")] public partial Span<float> W { get; }",
            "Dimensions = new[] { \"V\", \"C\" }"));

        AssertAt(diagnostic, "ELX0005", "\"4*c\"", line: 4);
        Assert.Equal(
            "Tensor 'W' dimension '4*c' is invalid: 'c' is not one of the layout's Dimensions (C, V)",
            diagnostic.GetMessage());
    }

    [Fact]
    public void ELX0006_TensorExceedsChunkCapacity()
    {
        Reported diagnostic = Single(Layout(
            "[Tensor(\"4\", \"3\")] public partial Span<float> W { get; }",
            "ChunkCapacity = 10"));

        AssertAt(diagnostic, "ELX0006", "W", line: 4);
        Assert.Contains("'W' has 12 elements, more than the layout's ChunkCapacity of 10", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void ELX0006_NamedShapes_AreNotCheckedAgainstCapacity() =>
        Assert.Empty(GeneratorHarness.Run(Layout("[Tensor(\"C\", \"C\")] public partial Span<float> W { get; }", "ChunkCapacity = 10")).Diagnostics);

    [Fact]
    public void ELX0007_DuplicateTensorName()
    {
        Reported diagnostic = SingleOurs(Layout(
            "[Tensor(\"4\")] public partial Span<float> W { get; }\n    [Tensor(\"5\")] public partial Span<float> W { get; }"));

        AssertAt(diagnostic, "ELX0007", "W", line: 5);
        Assert.Contains("'W' is declared more than once", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void ELX0007_NameCollidesWithGeneratedMember()
    {
        Reported diagnostic = Single(Layout("[Tensor(\"4\")] public partial Span<float> Device { get; }"));

        AssertAt(diagnostic, "ELX0007", "Device", line: 4);
        Assert.Contains("'Device' collides with a member the layout generator emits", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[ChunkLayout] public partial struct G<T> { }", "G", "it is generic")]
    [InlineData("public class Outer { [ChunkLayout] public partial struct N { } }", "N", "it is nested in 'Outer', which is not partial")]
    [InlineData("public partial class Outer<T> { [ChunkLayout] public partial struct N { } }", "N", "it is nested in generic type 'Outer'")]
    [InlineData("[ChunkLayout] public ref partial struct R { }", "R", "it is a ref struct")]
    [InlineData("[ChunkLayout] public partial record struct S { }", "S", "it is a record struct, whose generated members would read the Span properties")]
    public void ELX0008_UnsupportedContainingType(string source, string located, string problem)
    {
        Reported diagnostic = Single(source);

        AssertAt(diagnostic, "ELX0008", located, line: 1);
        Assert.EndsWith($"cannot be generated: {problem}", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidLayout_EmitsOnlyPlaceholders_AndTheGeneratorNeverThrows()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(Layout("[Tensor(\"C *\", )] public partial Span<double> W { get; set; } }} {{ ("));

        GeneratorRunResult run = outcome.Result.Results.Single();
        Assert.Null(run.Exception);
        Assert.DoesNotContain(run.GeneratedSources, s => s.SourceText.ToString().Contains("IChunkLayout", StringComparison.Ordinal));
        Assert.DoesNotContain(outcome.CompilationProblems, d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void EveryDescriptor_IsListedInAnalyzerReleases()
    {
        string releases = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Elixir.Generators", "AnalyzerReleases.Unshipped.md"));
        string[] ids = typeof(ChunkLayoutGenerator).Assembly.GetType("Elixir.Generators.DiagnosticDescriptors")!
            .GetFields()
            .Select(f => ((DiagnosticDescriptor)f.GetValue(null)!).Id)
            .ToArray();

        Assert.Equal(12, ids.Length);
        Assert.All(ids, id => Assert.Contains($"{id} | Elixir.Layout | Error |", releases, StringComparison.Ordinal));
    }

    private static string Layout(string member, string arguments = "") => $$"""
        [ChunkLayout({{arguments}})]
        public partial struct L
        {
            {{member}}
        }
        """;

    private static Reported Single(string source) => new(Assert.Single(GeneratorHarness.Run(source).Diagnostics), source);

    // The compiler reports its own errors for some of these declarations; only the generator's are asserted.
    private static Reported SingleOurs(string source) => new(
        Assert.Single(GeneratorHarness.Run(source).Diagnostics, d => d.Id.StartsWith("ELX", StringComparison.Ordinal)),
        source);

    // Generator diagnostics carry file locations (path and spans, no syntax tree), so the located text is read
    // from the source that was compiled as Source0.cs.
    private static void AssertAt(Reported reported, string id, string text, int line)
    {
        Diagnostic diagnostic = reported.Diagnostic;
        FileLinePositionSpan span = diagnostic.Location.GetLineSpan();
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("Source0.cs", span.Path);
        Assert.Equal(text, reported.Source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Equal(line, span.StartLinePosition.Line + 1);
    }

    private sealed record Reported(Diagnostic Diagnostic, string Source)
    {
        public string GetMessage() => Diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
    }
}
