using Elixir.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Elixir.Generators.Tests.Robustness;

/// <summary>The optional external name of a tensor: checked at compile time and kept in the offset table.</summary>
public sealed class ExternalNameTests
{
    [Theory]
    [InlineData(
        "[Tensor(\"4\", ExternalName = \"\")] public partial Span<float> W { get; }",
        "ExternalName = \"\"",
        "Tensor 'W' has an invalid ExternalName: it is empty; give a name or leave ExternalName unset to use the property name")]
    [InlineData(
        "[Tensor(\"4\", ExternalName = \"  \")] public partial Span<float> W { get; }",
        "ExternalName = \"  \"",
        "Tensor 'W' has an invalid ExternalName: it is empty; give a name or leave ExternalName unset to use the property name")]
    [InlineData(
        "[Tensor(\"4\", ExternalName = \"x.weight\")] public partial Span<float> W { get; }\n    [Tensor(\"4\", ExternalName = \"x.weight\")] public partial Span<float> V { get; }",
        "ExternalName = \"x.weight\"",
        "Tensor 'V' has an invalid ExternalName: 'x.weight' is already the external name of tensor 'W'")]
    [InlineData(
        "[Tensor(\"4\", ExternalName = \"V\")] public partial Span<float> W { get; }\n    [Tensor(\"4\")] public partial Span<float> V { get; }",
        "Tensor(\"4\")",
        "Tensor 'V' has an invalid ExternalName: its property name 'V' is already the external name of tensor 'W'")]
    public void InvalidExternalNames_AreReported(string members, string located, string message)
    {
        string source = $"[ChunkLayout]\npublic partial struct L\n{{\n    {members}\n}}";
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        Diagnostic diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Equal("ELX0012", diagnostic.Id);
        Assert.Equal(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(located, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Empty(outcome.CompilationErrors);
    }

    [Fact]
    public void SwappedExternalNames_AreAccepted()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run("""
            [ChunkLayout]
            public partial struct L
            {
                [Tensor("4", ExternalName = "V")] public partial Span<float> W { get; }
                [Tensor("4", ExternalName = "W")] public partial Span<float> V { get; }
            }
            """);

        Assert.Empty(outcome.Diagnostics);
        Assert.Empty(outcome.CompilationErrors);
        Assert.Contains("ImmutableArray.Create(4L), 4L, 0L, false, \"V\")", outcome.SingleSource, StringComparison.Ordinal);
    }
}
