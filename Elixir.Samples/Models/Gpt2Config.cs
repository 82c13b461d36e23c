using Elixir.Layout;

namespace Elixir.Samples.Models;

/// <summary>The sizes of a GPT-2-style character model.</summary>
/// <param name="VocabularySize">Number of tokens (V).</param>
/// <param name="SequenceLength">Tokens per sample and rows of the position embedding (T).</param>
/// <param name="Channels">Width of the residual stream (C).</param>
/// <param name="Layers">Number of transformer blocks (L).</param>
/// <param name="Heads">Attention heads per block (H); must divide C.</param>
public readonly record struct Gpt2Config(int VocabularySize, int SequenceLength, int Channels, int Layers, int Heads)
{
    /// <summary>The sample model's default sizes for a given vocabulary: T = 32, C = 64, L = 2, H = 4.</summary>
    public static Gpt2Config Default(int vocabularySize) => new(vocabularySize, 32, 64, 2, 4);

    /// <summary>Channels per head (C / H).</summary>
    public int HeadSize => Channels / Heads;

    /// <summary>Parameters in the embeddings (token and position).</summary>
    public long EmbeddingParameterCount => (long)(VocabularySize + SequenceLength) * Channels;

    /// <summary>Parameters in one transformer block.</summary>
    public long BlockParameterCount => 12L * Channels * Channels + 13L * Channels;

    /// <summary>Parameters in the whole model (the head is tied to the token embedding).</summary>
    public long ParameterCount => EmbeddingParameterCount + Layers * BlockParameterCount + 2L * Channels;

    /// <summary>
    /// The values of the named dimensions the GPT-2 layouts use: <c>C</c> (channels), <c>P</c> (positions,
    /// the sequence length) and <c>V</c> (vocabulary).
    /// </summary>
    public LayoutDimensions LayoutDimensions() =>
        new(("C", Channels), ("P", SequenceLength), ("V", VocabularySize));

    /// <summary>Throws when a size is not positive or C is not a multiple of H.</summary>
    public void Validate()
    {
        if (VocabularySize <= 0 || SequenceLength <= 0 || Channels <= 0 || Layers <= 0 || Heads <= 0)
        {
            throw new ArgumentException(
                $"GPT-2 config V={VocabularySize}, T={SequenceLength}, C={Channels}, L={Layers}, H={Heads}: every size must be positive.");
        }

        if (Channels % Heads != 0)
        {
            throw new ArgumentException($"GPT-2 config: {Channels} channels do not divide evenly into {Heads} heads.");
        }
    }
}
