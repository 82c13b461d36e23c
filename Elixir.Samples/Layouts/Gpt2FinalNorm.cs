using Elixir.Layout;

namespace Elixir.Samples.Layouts;

/// <summary>GPT-2's final layer norm <c>ln_f</c> over <c>C</c> channels.</summary>
[ChunkLayout(Dimensions = new[] { "C" })]
public partial struct Gpt2FinalNorm
{
    /// <summary><c>ln_f.weight</c>.</summary>
    [Tensor("C", ExternalName = "ln_f.weight")] public partial Span<float> LnFWeight { get; }

    /// <summary><c>ln_f.bias</c>.</summary>
    [Tensor("C", ExternalName = "ln_f.bias")] public partial Span<float> LnFBias { get; }
}
