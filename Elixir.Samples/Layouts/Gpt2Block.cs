using Elixir.Layout;

namespace Elixir.Samples.Layouts;

/// <summary>
/// One GPT-2 transformer block with <c>C</c> channels, in the Hugging Face parameter order
/// (<c>h.N.ln_1</c>, <c>attn.c_attn</c>, <c>attn.c_proj</c>, <c>ln_2</c>, <c>mlp.c_fc</c>, <c>mlp.c_proj</c>).
/// Weights are stored <c>[in, out]</c> as in the original Conv1D modules.
/// </summary>
[ChunkLayout(Dimensions = new[] { "C" })]
public partial struct Gpt2Block
{
    /// <summary><c>ln_1.weight</c>.</summary>
    [Tensor("C", ExternalName = "ln_1.weight")] public partial Span<float> Ln1Weight { get; }

    /// <summary><c>ln_1.bias</c>.</summary>
    [Tensor("C", ExternalName = "ln_1.bias")] public partial Span<float> Ln1Bias { get; }

    /// <summary><c>attn.c_attn.weight</c>: the fused query, key and value projection.</summary>
    [Tensor("C", "3*C", ExternalName = "attn.c_attn.weight")] public partial Span<float> AttnQkvWeight { get; }

    /// <summary><c>attn.c_attn.bias</c>.</summary>
    [Tensor("3*C", ExternalName = "attn.c_attn.bias")] public partial Span<float> AttnQkvBias { get; }

    /// <summary><c>attn.c_proj.weight</c>.</summary>
    [Tensor("C", "C", ExternalName = "attn.c_proj.weight")] public partial Span<float> AttnProjWeight { get; }

    /// <summary><c>attn.c_proj.bias</c>.</summary>
    [Tensor("C", ExternalName = "attn.c_proj.bias")] public partial Span<float> AttnProjBias { get; }

    /// <summary><c>ln_2.weight</c>.</summary>
    [Tensor("C", ExternalName = "ln_2.weight")] public partial Span<float> Ln2Weight { get; }

    /// <summary><c>ln_2.bias</c>.</summary>
    [Tensor("C", ExternalName = "ln_2.bias")] public partial Span<float> Ln2Bias { get; }

    /// <summary><c>mlp.c_fc.weight</c>.</summary>
    [Tensor("C", "4*C", ExternalName = "mlp.c_fc.weight")] public partial Span<float> MlpFcWeight { get; }

    /// <summary><c>mlp.c_fc.bias</c>.</summary>
    [Tensor("4*C", ExternalName = "mlp.c_fc.bias")] public partial Span<float> MlpFcBias { get; }

    /// <summary><c>mlp.c_proj.weight</c>.</summary>
    [Tensor("4*C", "C", ExternalName = "mlp.c_proj.weight")] public partial Span<float> MlpProjWeight { get; }

    /// <summary><c>mlp.c_proj.bias</c>.</summary>
    [Tensor("C", ExternalName = "mlp.c_proj.bias")] public partial Span<float> MlpProjBias { get; }
}
