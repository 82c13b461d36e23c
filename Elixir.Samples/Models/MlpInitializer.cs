namespace Elixir.Samples.Models;

/// <summary>
/// Initialises a linear layer: weights from N(0, 1/in), biases zero; each layer draws from its own stream so
/// the values do not depend on initialisation order or chunking.
/// </summary>
public static class MlpInitializer
{
    /// <summary>Initialises linear layer <paramref name="layer"/>.</summary>
    public static void InitializeLayer(int layer, in MlpLayerTensors parameters, in MlpConfig config, ulong seed)
    {
        parameters.Validate(config, layer);
        Gpt2Initializer.FillNormal(parameters.Weight, 1.0 / Math.Sqrt(config.InputWidth(layer)), seed, (ulong)layer, 0);
        parameters.Bias.Clear();
    }
}
