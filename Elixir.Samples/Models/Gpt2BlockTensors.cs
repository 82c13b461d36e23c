namespace Elixir.Samples.Models;

/// <summary>
/// Views of one transformer block's twelve tensors (parameters or their gradients), in GPT-2 order. Matrices
/// are stored (out, in) row-major, the transpose of Hugging Face's Conv1D (in, out) storage.
/// </summary>
public readonly ref struct Gpt2BlockTensors
{
    /// <summary>Wraps the twelve views, in GPT-2 order.</summary>
    public Gpt2BlockTensors(
        Span<float> ln1Weight, Span<float> ln1Bias, Span<float> qkvWeight, Span<float> qkvBias,
        Span<float> attnProjWeight, Span<float> attnProjBias, Span<float> ln2Weight, Span<float> ln2Bias,
        Span<float> fcWeight, Span<float> fcBias, Span<float> fcProjWeight, Span<float> fcProjBias)
    {
        Ln1Weight = ln1Weight;
        Ln1Bias = ln1Bias;
        QkvWeight = qkvWeight;
        QkvBias = qkvBias;
        AttnProjWeight = attnProjWeight;
        AttnProjBias = attnProjBias;
        Ln2Weight = ln2Weight;
        Ln2Bias = ln2Bias;
        FcWeight = fcWeight;
        FcBias = fcBias;
        FcProjWeight = fcProjWeight;
        FcProjBias = fcProjBias;
    }

    /// <summary>(C) <c>ln_1.weight</c>.</summary>
    public Span<float> Ln1Weight { get; }

    /// <summary>(C) <c>ln_1.bias</c>.</summary>
    public Span<float> Ln1Bias { get; }

    /// <summary>(3C, C) <c>attn.c_attn.weight</c>: query, key and value projections stacked.</summary>
    public Span<float> QkvWeight { get; }

    /// <summary>(3C) <c>attn.c_attn.bias</c>.</summary>
    public Span<float> QkvBias { get; }

    /// <summary>(C, C) <c>attn.c_proj.weight</c>.</summary>
    public Span<float> AttnProjWeight { get; }

    /// <summary>(C) <c>attn.c_proj.bias</c>.</summary>
    public Span<float> AttnProjBias { get; }

    /// <summary>(C) <c>ln_2.weight</c>.</summary>
    public Span<float> Ln2Weight { get; }

    /// <summary>(C) <c>ln_2.bias</c>.</summary>
    public Span<float> Ln2Bias { get; }

    /// <summary>(4C, C) <c>mlp.c_fc.weight</c>.</summary>
    public Span<float> FcWeight { get; }

    /// <summary>(4C) <c>mlp.c_fc.bias</c>.</summary>
    public Span<float> FcBias { get; }

    /// <summary>(C, 4C) <c>mlp.c_proj.weight</c>.</summary>
    public Span<float> FcProjWeight { get; }

    /// <summary>(C) <c>mlp.c_proj.bias</c>.</summary>
    public Span<float> FcProjBias { get; }

    internal void Validate(in Gpt2Config config)
    {
        long c = config.Channels;
        TensorShape.Require(Ln1Weight.Length, c, "Gpt2Block", "ln_1.weight");
        TensorShape.Require(Ln1Bias.Length, c, "Gpt2Block", "ln_1.bias");
        TensorShape.Require(QkvWeight.Length, 3 * c * c, "Gpt2Block", "attn.c_attn.weight");
        TensorShape.Require(QkvBias.Length, 3 * c, "Gpt2Block", "attn.c_attn.bias");
        TensorShape.Require(AttnProjWeight.Length, c * c, "Gpt2Block", "attn.c_proj.weight");
        TensorShape.Require(AttnProjBias.Length, c, "Gpt2Block", "attn.c_proj.bias");
        TensorShape.Require(Ln2Weight.Length, c, "Gpt2Block", "ln_2.weight");
        TensorShape.Require(Ln2Bias.Length, c, "Gpt2Block", "ln_2.bias");
        TensorShape.Require(FcWeight.Length, 4 * c * c, "Gpt2Block", "mlp.c_fc.weight");
        TensorShape.Require(FcBias.Length, 4 * c, "Gpt2Block", "mlp.c_fc.bias");
        TensorShape.Require(FcProjWeight.Length, 4 * c * c, "Gpt2Block", "mlp.c_proj.weight");
        TensorShape.Require(FcProjBias.Length, c, "Gpt2Block", "mlp.c_proj.bias");
    }
}
