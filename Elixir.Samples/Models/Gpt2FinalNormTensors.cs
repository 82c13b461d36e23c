using Elixir.Samples.Layouts;

namespace Elixir.Samples.Models;

/// <summary>Views of the final LayerNorm's tensors (parameters or gradients), as in <see cref="Gpt2FinalNorm"/>.</summary>
/// <param name="LnFWeight">(C) scale.</param>
/// <param name="LnFBias">(C) shift.</param>
public readonly ref struct Gpt2FinalNormTensors(Span<float> LnFWeight, Span<float> LnFBias)
{
    /// <summary>(C) scale.</summary>
    public Span<float> LnFWeight { get; } = LnFWeight;

    /// <summary>(C) shift.</summary>
    public Span<float> LnFBias { get; } = LnFBias;

    /// <summary>Reads the views of a generated layout instance (bound to host memory).</summary>
    public static Gpt2FinalNormTensors From(in Gpt2FinalNorm layout) => new(layout.LnFWeight, layout.LnFBias);

    internal void Validate(in Gpt2Config config)
    {
        TensorShape.Require(LnFWeight.Length, config.Channels, nameof(Gpt2FinalNorm), nameof(LnFWeight));
        TensorShape.Require(LnFBias.Length, config.Channels, nameof(Gpt2FinalNorm), nameof(LnFBias));
    }
}
