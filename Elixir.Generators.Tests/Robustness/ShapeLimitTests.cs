using Elixir.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Elixir.Generators.Tests.Robustness;

/// <summary>Dimension expressions at and beyond the parser's limits, and shapes that can never be positive.</summary>
public sealed class ShapeLimitTests
{
    public static TheoryData<string, string> TooComplex => new()
    {
        { new string('(', 20_000) + "C" + new string(')', 20_000), "it is 40001 characters long; the limit is 512" },
        { string.Join("+", Enumerable.Repeat("C", 50_000)), "it is 99999 characters long; the limit is 512" },
        { string.Join("+", Enumerable.Repeat("1", 5_000)), "it is 9999 characters long; the limit is 512" },
        { new string('(', 17) + "C" + new string(')', 17), "it nests parentheses more than 16 deep" },
        { string.Join("+", Enumerable.Repeat("1", 66)), "it has more than 64 operators" },
    };

    [Theory]
    [MemberData(nameof(TooComplex))]
    public void ExpressionsBeyondTheLimits_AreReported_WithoutOverflowingTheStack(string expression, string problem)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(Layout($"[Tensor(\"{expression}\")] public partial Span<float> W {{ get; }}"));

        Assert.Null(outcome.Exception);
        Diagnostic diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Equal("ELX0009", diagnostic.Id);
        Assert.EndsWith($"is too complex: {problem}", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.True(diagnostic.GetMessage().Length < 200, "the message quotes only the start of a long expression");
        Assert.Empty(outcome.CompilationErrors);
    }

    [Fact]
    public void ExpressionsAtTheLimits_GenerateTheHandComputedShape()
    {
        // 65 ones (64 operators) sum to 65.
        string sum = string.Join("+", Enumerable.Repeat("1", 65));
        GeneratorOutcome outcome = GeneratorHarness.Run(Layout($"[Tensor(\"{sum}\")] public partial Span<float> W {{ get; }}"));

        Assert.Empty(outcome.Diagnostics);
        Assert.Empty(outcome.CompilationErrors);
        Assert.Contains("global::System.Collections.Immutable.ImmutableArray.Create(65L), 65L, 0L, false)", outcome.SingleSource, StringComparison.Ordinal);
    }

    [Fact]
    public void ParenthesesAtTheDepthLimit_GenerateTheExpression()
    {
        string nested = new string('(', 16) + "C" + new string(')', 16) + "*2";
        GeneratorOutcome outcome = GeneratorHarness.Run(Layout($"[Tensor(\"{nested}\")] public partial Span<float> W {{ get; }}"));

        Assert.Empty(outcome.Diagnostics);
        Assert.Empty(outcome.CompilationErrors);
        Assert.Contains("d0.Result(d0.Multiply(dim_C, 2L))", outcome.SingleSource, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("C-C", "dimension 'C-C' is at most 0 for every value of C")]
    [InlineData("1 - C", "dimension '1 - C' is at most 0 for every value of C")]
    [InlineData("2*C - C - C", "dimension '2*C - C - C' is at most 0 for every value of C")]
    [InlineData("C*V - V*C", "dimension 'C*V - V*C' is at most 0 for every value of C, V")]
    [InlineData("(C + C) / 2 - C", "dimension '(C + C) / 2 - C' is at most 0 for every value of C")]
    [InlineData("0 * C", "dimension '0 * C' is at most 0 for every value of C")]
    public void ShapesNeverPositive_AreReportedAtCompileTime(string expression, string problem)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(Layout($"[Tensor(\"{expression}\")] public partial Span<float> W {{ get; }}"));

        Diagnostic diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Equal("ELX0004", diagnostic.Id);
        Assert.EndsWith($"{problem}; dimensions must be positive", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("C - 1")]
    [InlineData("C*C - C")]
    [InlineData("C / V")]
    [InlineData("2 - C / C")]
    public void ShapesPositiveForSomeValues_AreLeftToTheRuntime(string expression) =>
        Assert.Empty(GeneratorHarness.Run(Layout($"[Tensor(\"{expression}\")] public partial Span<float> W {{ get; }}")).Diagnostics);

    [Theory]
    [InlineData("\u0663", "'\u0663' (U+0663) at position 0 is not an ASCII digit; write numbers with 0-9")]
    [InlineData("1\u0968", "'\u0968' (U+0968) at position 1 is not an ASCII digit; write numbers with 0-9")]
    [InlineData("C\u2028+ 1\u0000", "unexpected U+0000 at position 5")]
    public void NonAsciiDigitsAndControls_AreReportedAsWhatTheyAre(string expression, string problem)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(Layout(
            $"[Tensor({Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(expression, quote: true)})] public partial Span<float> W {{ get; }}"));

        Diagnostic diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Equal("ELX0005", diagnostic.Id);
        Assert.EndsWith($"is invalid: {problem}", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    private static string Layout(string member) => $$"""
        [ChunkLayout]
        public partial struct L
        {
            {{member}}
        }
        """;
}
