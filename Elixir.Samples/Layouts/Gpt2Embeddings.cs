using Elixir.Layout;

namespace Elixir.Samples.Layouts;

/// <summary>
/// GPT-2's token and position embeddings (vocabulary <c>V</c>, context <c>P</c>, channels <c>C</c>). The
/// language-model head reuses <see cref="Wte"/> (tied weights), so it is multi-use.
/// </summary>
[ChunkLayout(Dimensions = new[] { "C", "P", "V" })]
public partial struct Gpt2Embeddings
{
    /// <summary>Token embeddings <c>wte</c>, <c>[V, C]</c>; also the output head.</summary>
    [Tensor("V", "C", MultiUse = true, ExternalName = "wte.weight")] public partial Span<float> Wte { get; }

    /// <summary>Position embeddings <c>wpe</c>, <c>[P, C]</c>.</summary>
    [Tensor("P", "C", ExternalName = "wpe.weight")] public partial Span<float> Wpe { get; }
}
