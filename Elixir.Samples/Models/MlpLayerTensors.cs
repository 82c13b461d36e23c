namespace Elixir.Samples.Models;

/// <summary>Views of one linear layer's tensors (parameters or gradients).</summary>
/// <param name="Weight">(out, in) row-major weight.</param>
/// <param name="Bias">(out) bias.</param>
public readonly ref struct MlpLayerTensors(Span<float> Weight, Span<float> Bias)
{
    /// <summary>(out, in) row-major weight.</summary>
    public Span<float> Weight { get; } = Weight;

    /// <summary>(out) bias.</summary>
    public Span<float> Bias { get; } = Bias;

    internal void Validate(in MlpConfig config, int layer)
    {
        // Names are formatted only on failure, so a step with valid views allocates nothing.
        long weight = (long)config.OutputWidth(layer) * config.InputWidth(layer);
        if (Weight.Length != weight)
        {
            TensorShape.Require(Weight.Length, weight, "MlpLayer", $"layers.{layer}.weight");
        }

        if (Bias.Length != config.OutputWidth(layer))
        {
            TensorShape.Require(Bias.Length, config.OutputWidth(layer), "MlpLayer", $"layers.{layer}.bias");
        }
    }
}
