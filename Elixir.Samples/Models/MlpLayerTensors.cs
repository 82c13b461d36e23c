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
        TensorShape.Require(Weight.Length, (long)config.OutputWidth(layer) * config.InputWidth(layer), "MlpLayer", $"layers.{layer}.weight");
        TensorShape.Require(Bias.Length, config.OutputWidth(layer), "MlpLayer", $"layers.{layer}.bias");
    }
}
