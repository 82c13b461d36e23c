using Elixir.Samples.Layouts;

namespace Elixir.Samples.Models;

/// <summary>
/// Views of one transformer block's twelve tensors (parameters or their gradients), named and ordered as in
/// <see cref="Gpt2Block"/>. Matrices are stored (in, out) row-major, as GPT-2's Conv1D modules store them.
/// </summary>
public readonly ref struct Gpt2BlockTensors
{
    /// <summary>Wraps the twelve views, in GPT-2 order.</summary>
    public Gpt2BlockTensors(
        Span<float> ln1Weight,
        Span<float> ln1Bias,
        Span<float> attnQkvWeight,
        Span<float> attnQkvBias,
        Span<float> attnProjWeight,
        Span<float> attnProjBias,
        Span<float> ln2Weight,
        Span<float> ln2Bias,
        Span<float> mlpFcWeight,
        Span<float> mlpFcBias,
        Span<float> mlpProjWeight,
        Span<float> mlpProjBias)
    {
        Ln1Weight = ln1Weight;
        Ln1Bias = ln1Bias;
        AttnQkvWeight = attnQkvWeight;
        AttnQkvBias = attnQkvBias;
        AttnProjWeight = attnProjWeight;
        AttnProjBias = attnProjBias;
        Ln2Weight = ln2Weight;
        Ln2Bias = ln2Bias;
        MlpFcWeight = mlpFcWeight;
        MlpFcBias = mlpFcBias;
        MlpProjWeight = mlpProjWeight;
        MlpProjBias = mlpProjBias;
    }

    /// <summary>(C) <c>ln_1.weight</c>.</summary>
    public Span<float> Ln1Weight { get; }

    /// <summary>(C) <c>ln_1.bias</c>.</summary>
    public Span<float> Ln1Bias { get; }

    /// <summary>(C, 3C) <c>attn.c_attn.weight</c>: query, key and value projections side by side.</summary>
    public Span<float> AttnQkvWeight { get; }

    /// <summary>(3C) <c>attn.c_attn.bias</c>.</summary>
    public Span<float> AttnQkvBias { get; }

    /// <summary>(C, C) <c>attn.c_proj.weight</c>.</summary>
    public Span<float> AttnProjWeight { get; }

    /// <summary>(C) <c>attn.c_proj.bias</c>.</summary>
    public Span<float> AttnProjBias { get; }

    /// <summary>(C) <c>ln_2.weight</c>.</summary>
    public Span<float> Ln2Weight { get; }

    /// <summary>(C) <c>ln_2.bias</c>.</summary>
    public Span<float> Ln2Bias { get; }

    /// <summary>(C, 4C) <c>mlp.c_fc.weight</c>.</summary>
    public Span<float> MlpFcWeight { get; }

    /// <summary>(4C) <c>mlp.c_fc.bias</c>.</summary>
    public Span<float> MlpFcBias { get; }

    /// <summary>(4C, C) <c>mlp.c_proj.weight</c>.</summary>
    public Span<float> MlpProjWeight { get; }

    /// <summary>(C) <c>mlp.c_proj.bias</c>.</summary>
    public Span<float> MlpProjBias { get; }

    /// <summary>Reads the views of a generated layout instance (bound to host memory).</summary>
    public static Gpt2BlockTensors From(in Gpt2Block layout) => new(
        layout.Ln1Weight,
        layout.Ln1Bias,
        layout.AttnQkvWeight,
        layout.AttnQkvBias,
        layout.AttnProjWeight,
        layout.AttnProjBias,
        layout.Ln2Weight,
        layout.Ln2Bias,
        layout.MlpFcWeight,
        layout.MlpFcBias,
        layout.MlpProjWeight,
        layout.MlpProjBias);

    internal void Validate(in Gpt2Config config)
    {
        long c = config.Channels;
        TensorShape.Require(Ln1Weight.Length, c, nameof(Gpt2Block), nameof(Ln1Weight));
        TensorShape.Require(Ln1Bias.Length, c, nameof(Gpt2Block), nameof(Ln1Bias));
        TensorShape.Require(AttnQkvWeight.Length, 3 * c * c, nameof(Gpt2Block), nameof(AttnQkvWeight));
        TensorShape.Require(AttnQkvBias.Length, 3 * c, nameof(Gpt2Block), nameof(AttnQkvBias));
        TensorShape.Require(AttnProjWeight.Length, c * c, nameof(Gpt2Block), nameof(AttnProjWeight));
        TensorShape.Require(AttnProjBias.Length, c, nameof(Gpt2Block), nameof(AttnProjBias));
        TensorShape.Require(Ln2Weight.Length, c, nameof(Gpt2Block), nameof(Ln2Weight));
        TensorShape.Require(Ln2Bias.Length, c, nameof(Gpt2Block), nameof(Ln2Bias));
        TensorShape.Require(MlpFcWeight.Length, 4 * c * c, nameof(Gpt2Block), nameof(MlpFcWeight));
        TensorShape.Require(MlpFcBias.Length, 4 * c, nameof(Gpt2Block), nameof(MlpFcBias));
        TensorShape.Require(MlpProjWeight.Length, 4 * c * c, nameof(Gpt2Block), nameof(MlpProjWeight));
        TensorShape.Require(MlpProjBias.Length, c, nameof(Gpt2Block), nameof(MlpProjBias));
    }
}
