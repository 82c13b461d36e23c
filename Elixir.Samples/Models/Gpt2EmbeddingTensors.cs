namespace Elixir.Samples.Models;

/// <summary>
/// Views of the embedding layer's tensors (parameters or their gradients), in GPT-2 order:
/// <c>transformer.wte.weight</c> then <c>transformer.wpe.weight</c>.
/// </summary>
/// <param name="TokenEmbedding">(V, C) token embedding; also the output head's weight (tied).</param>
/// <param name="PositionEmbedding">(T, C) position embedding.</param>
public readonly ref struct Gpt2EmbeddingTensors(Span<float> TokenEmbedding, Span<float> PositionEmbedding)
{
    /// <summary>(V, C) token embedding; also the output head's weight (tied).</summary>
    public Span<float> TokenEmbedding { get; } = TokenEmbedding;

    /// <summary>(T, C) position embedding.</summary>
    public Span<float> PositionEmbedding { get; } = PositionEmbedding;

    internal void Validate(in Gpt2Config config)
    {
        TensorShape.Require(TokenEmbedding.Length, (long)config.VocabularySize * config.Channels, "Gpt2Embeddings", "wte");
        TensorShape.Require(PositionEmbedding.Length, (long)config.SequenceLength * config.Channels, "Gpt2Embeddings", "wpe");
    }
}
