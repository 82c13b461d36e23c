namespace Elixir.Samples.Models;

/// <summary>
/// Every tensor of an <see cref="MlpModel"/> in one flat fp32 buffer (layer 0 weight, bias, layer 1 …), with
/// the per-layer views the model takes; for parameters or gradients when no chunking runtime is involved.
/// </summary>
public sealed class MlpParameters
{
    private readonly float[] _values;
    private readonly int[] _offsets;

    /// <summary>Allocates a zeroed buffer for <paramref name="config"/>.</summary>
    public MlpParameters(MlpConfig config)
    {
        config.Validate();
        Config = config;
        _offsets = new int[config.Layers + 1];
        for (int layer = 0; layer < config.Layers; layer++)
        {
            _offsets[layer + 1] = checked(_offsets[layer] + (int)config.LayerParameterCount(layer));
        }

        _values = new float[_offsets[^1]];
    }

    /// <summary>The model's sizes.</summary>
    public MlpConfig Config { get; }

    /// <summary>All values, layer after layer.</summary>
    public Span<float> Values => _values;

    /// <summary>Layer <paramref name="layer"/>'s weight and bias.</summary>
    public MlpLayerTensors Layer(int layer)
    {
        if ((uint)layer >= (uint)Config.Layers)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), $"Layer {layer} is outside the MLP's {Config.Layers} layers.");
        }

        int weight = Config.InputWidth(layer) * Config.OutputWidth(layer);
        return new MlpLayerTensors(
            _values.AsSpan(_offsets[layer], weight), _values.AsSpan(_offsets[layer] + weight, Config.OutputWidth(layer)));
    }

    /// <summary>Initialises every layer with <see cref="MlpInitializer"/>.</summary>
    public void Initialize(ulong seed)
    {
        for (int layer = 0; layer < Config.Layers; layer++)
        {
            MlpInitializer.InitializeLayer(layer, Layer(layer), Config, seed);
        }
    }
}
