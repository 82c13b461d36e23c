using Elixir.Generators.Tests.Infrastructure;

namespace Elixir.Generators.Tests;

public sealed class SnapshotTests
{
    [Fact]
    public void SmallConstantLayout() => Verify(
        """
        namespace Demo;

        /// <summary>A 4x3 linear layer.</summary>
        [ChunkLayout]
        public partial struct TinyLinear
        {
            /// <summary>Weights.</summary>
            [Tensor("4", "3")] public partial Span<float> Weight { get; }

            /// <summary>Bias.</summary>
            [Tensor("3")] public partial Span<float> Bias { get; }
        }
        """,
        "TinyLinear");

    [Fact]
    public void Gpt2BlockWithNamedDimensions() => Verify(SampleSources.Read("Gpt2Block.cs"), "Gpt2Block");

    [Fact]
    public void EmbeddingAndTiedHeadLayout() => Verify(SampleSources.Read("Gpt2Embeddings.cs"), "Gpt2Embeddings");

    [Fact]
    public void EveryElementType() => Verify(SampleSources.Read("MixedPrecisionLayout.cs"), "MixedPrecisionLayout");

    [Fact]
    public void GlobalNamespaceNestedInPartialClass() => Verify(
        """
        /// <summary>Holds a layout.</summary>
        public static partial class Model
        {
            /// <summary>A layout with an expression over two dimensions.</summary>
            [ChunkLayout]
            internal partial struct Head
            {
                /// <summary>Logits.</summary>
                [Tensor("(V - 1) * 2 + C / 4", "C")] internal partial Span<Half> Logits { get; }
            }
        }
        """,
        "NestedHead");

    [Fact]
    public void ReadOnlyLayoutAndProperty() => Verify(
        """
        /// <summary>A read-only layout.</summary>
        [ChunkLayout(ChunkCapacity = 1024, Dimensions = new[] { "N" })]
        public readonly partial struct Frozen
        {
            /// <summary>Values.</summary>
            [Tensor("N", "2")] public readonly partial Span<BFloat16> Values { get; }
        }
        """,
        "Frozen");

    private static void Verify(string source, string name)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(source);
        Assert.Empty(outcome.Diagnostics);
        Assert.Empty(outcome.CompilationProblems);
        Snapshot.Verify(outcome.SingleSource, name);
    }
}
