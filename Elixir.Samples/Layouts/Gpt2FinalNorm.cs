using Elixir.Layout;

namespace Elixir.Samples.Layouts;

/// <summary>
/// GPT-2's final layer norm <c>ln_f</c> over <c>C</c> channels. Its external names are relative to its instance,
/// <c>transformer.ln_f</c>, as the blocks' are to <c>transformer.h.N</c>.
/// </summary>
[ChunkLayout(Dimensions = new[] { "C" })]
public partial struct Gpt2FinalNorm
{
    /// <summary><c>ln_f.weight</c>.</summary>
    [Tensor("C", ExternalName = "weight")] public partial Span<float> LnFWeight { get; }

    /// <summary><c>ln_f.bias</c>.</summary>
    [Tensor("C", ExternalName = "bias")] public partial Span<float> LnFBias { get; }
}
