using Elixir.Generators.Tests.Infrastructure;

namespace Elixir.Generators.Tests;

public sealed class GeneratedCodeCompilationTests
{
    [Fact]
    public void SampleLayouts_CompileWithoutWarnings_WithDocumentationDiagnosticsOn()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            SampleSources.Read("MlpLayout.cs"),
            SampleSources.Read("Gpt2Embeddings.cs"),
            SampleSources.Read("Gpt2Block.cs"),
            SampleSources.Read("Gpt2FinalNorm.cs"),
            SampleSources.Read("MixedPrecisionLayout.cs"));

        Assert.Empty(outcome.Diagnostics);
        Assert.Equal(5, outcome.Result.Results.Single().GeneratedSources.Length);
        Assert.Empty(outcome.CompilationProblems);
    }

    [Fact]
    public void Output_IsByteStable_AcrossRuns()
    {
        string source = SampleSources.Read("Gpt2Block.cs");

        Assert.Equal(GeneratorHarness.Run(source).SingleSource, GeneratorHarness.Run(source).SingleSource);
    }

    // A layout without tensors has nothing to place in a chunk and is almost always a forgotten [Tensor]; it is
    // reported (ELX0011), generates nothing, and adds no other problem.
    [Fact]
    public void LayoutWithoutTensors_IsReported_AndCompilesWithoutOtherProblems()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run("""
            /// <summary>No parameters yet.</summary>
            [ChunkLayout]
            public partial struct Empty
            {
            }
            """);

        Assert.Equal("ELX0011", Assert.Single(outcome.Diagnostics).Id);
        Assert.Empty(outcome.Result.Results.Single().GeneratedSources);
        Assert.Empty(outcome.CompilationProblems);
    }
}
