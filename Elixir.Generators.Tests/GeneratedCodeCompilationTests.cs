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

    [Fact]
    public void LayoutWithoutTensors_CompilesWithoutWarnings()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run("""
            /// <summary>No parameters yet.</summary>
            [ChunkLayout]
            public partial struct Empty
            {
            }
            """);

        Assert.Empty(outcome.Diagnostics);
        Assert.Empty(outcome.CompilationProblems);
    }
}
