using Elixir.Samples.Layouts;

namespace Elixir.Samples.Models;

/// <summary>
/// Views of the embedding layer's tensors (parameters or their gradients), named and ordered as in
/// <see cref="Gpt2Embeddings"/>.
/// </summary>
/// <param name="Wte">(V, C) token embedding; also the output head's weight (tied).</param>
/// <param name="Wpe">(T, C) position embedding.</param>
public readonly ref struct Gpt2EmbeddingTensors(Span<float> Wte, Span<float> Wpe)
{
    /// <summary>(V, C) token embedding; also the output head's weight (tied).</summary>
    public Span<float> Wte { get; } = Wte;

    /// <summary>(T, C) position embedding.</summary>
    public Span<float> Wpe { get; } = Wpe;

    /// <summary>Reads the views of a generated layout instance (bound to host memory).</summary>
    public static Gpt2EmbeddingTensors From(in Gpt2Embeddings layout) => new(layout.Wte, layout.Wpe);

    internal void Validate(in Gpt2Config config)
    {
        TensorShape.Require(Wte.Length, (long)config.VocabularySize * config.Channels, nameof(Gpt2Embeddings), nameof(Wte));
        TensorShape.Require(Wpe.Length, (long)config.SequenceLength * config.Channels, nameof(Gpt2Embeddings), nameof(Wpe));
    }
}
