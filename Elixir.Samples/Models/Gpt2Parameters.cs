namespace Elixir.Samples.Models;

/// <summary>
/// Every tensor of a <see cref="Gpt2Model"/> in one flat fp32 buffer, in GPT-2 order (wte, wpe, h.0 … h.L−1,
/// ln_f), with the same per-layer views the model takes. Used for parameters or for gradients when no
/// chunking runtime is involved, such as reference runs and tests.
/// </summary>
public sealed class Gpt2Parameters
{
    private readonly float[] _values;

    /// <summary>Allocates a zeroed buffer for <paramref name="config"/>.</summary>
    public Gpt2Parameters(Gpt2Config config)
    {
        config.Validate();
        Config = config;
        _values = new float[checked((int)config.ParameterCount)];
    }

    /// <summary>The model's sizes.</summary>
    public Gpt2Config Config { get; }

    /// <summary>All values, in GPT-2 order.</summary>
    public Span<float> Values => _values;

    /// <summary>The embedding layer's tensors.</summary>
    public Gpt2EmbeddingTensors Embeddings
    {
        get
        {
            int wte = Config.VocabularySize * Config.Channels;
            return new Gpt2EmbeddingTensors(_values.AsSpan(0, wte), _values.AsSpan(wte, Config.SequenceLength * Config.Channels));
        }
    }

    /// <summary>The final LayerNorm's tensors.</summary>
    public Gpt2FinalNormTensors FinalNorm
    {
        get
        {
            int start = _values.Length - 2 * Config.Channels;
            return new Gpt2FinalNormTensors(_values.AsSpan(start, Config.Channels), _values.AsSpan(start + Config.Channels, Config.Channels));
        }
    }

    /// <summary>Block <paramref name="layer"/>'s tensors.</summary>
    public Gpt2BlockTensors Block(int layer)
    {
        if ((uint)layer >= (uint)Config.Layers)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), $"Layer {layer} is outside the model's {Config.Layers} blocks.");
        }

        int c = Config.Channels;
        int offset = checked((int)(Config.EmbeddingParameterCount + layer * Config.BlockParameterCount));
        return new Gpt2BlockTensors(
            Take(ref offset, c), Take(ref offset, c), Take(ref offset, 3 * c * c), Take(ref offset, 3 * c),
            Take(ref offset, c * c), Take(ref offset, c), Take(ref offset, c), Take(ref offset, c),
            Take(ref offset, 4 * c * c), Take(ref offset, 4 * c), Take(ref offset, 4 * c * c), Take(ref offset, c));
    }

    /// <summary>Initialises every tensor with <see cref="Gpt2Initializer"/>.</summary>
    public void Initialize(ulong seed)
    {
        Gpt2Initializer.InitializeEmbeddings(Embeddings, Config, seed);
        for (int layer = 0; layer < Config.Layers; layer++)
        {
            Gpt2Initializer.InitializeBlock(layer, Block(layer), Config, seed);
        }

        Gpt2Initializer.InitializeFinalNorm(FinalNorm, Config);
    }

    private Span<float> Take(scoped ref int offset, int count)
    {
        var tensor = _values.AsSpan(offset, count);
        offset += count;
        return tensor;
    }
}
