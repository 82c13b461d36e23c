namespace Elixir.Samples.Models;

/// <summary>Views of the final LayerNorm's tensors (<c>transformer.ln_f</c>), parameters or gradients.</summary>
/// <param name="Weight">(C) scale.</param>
/// <param name="Bias">(C) shift.</param>
public readonly ref struct Gpt2FinalNormTensors(Span<float> Weight, Span<float> Bias)
{
    /// <summary>(C) scale.</summary>
    public Span<float> Weight { get; } = Weight;

    /// <summary>(C) shift.</summary>
    public Span<float> Bias { get; } = Bias;

    internal void Validate(in Gpt2Config config)
    {
        TensorShape.Require(Weight.Length, config.Channels, "Gpt2FinalNorm", "ln_f.weight");
        TensorShape.Require(Bias.Length, config.Channels, "Gpt2FinalNorm", "ln_f.bias");
    }
}
