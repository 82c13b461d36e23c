namespace Elixir.Samples.Models;

/// <summary>
/// Every buffer one forward and backward pass of <see cref="Gpt2Model"/> touches, allocated once for a fixed
/// batch so training steps allocate nothing. Per-layer activations are stored layer after layer.
/// </summary>
internal sealed class Gpt2Activations
{
    public Gpt2Activations(in Gpt2Config config, int batch)
    {
        int rows = batch * config.SequenceLength;
        int c = config.Channels;
        int layers = config.Layers;
        Tokens = new int[rows];
        Targets = new int[rows];
        Encoded = new float[rows * c];
        Ln1 = new float[layers * rows * c];
        Ln1Mean = new float[layers * rows];
        Ln1Rstd = new float[layers * rows];
        Qkv = new float[layers * rows * 3 * c];
        AttentionWeights = new float[layers * batch * config.Heads * config.SequenceLength * config.SequenceLength];
        AttentionOutput = new float[layers * rows * c];
        Residual2 = new float[layers * rows * c];
        Ln2 = new float[layers * rows * c];
        Ln2Mean = new float[layers * rows];
        Ln2Rstd = new float[layers * rows];
        Fc = new float[layers * rows * 4 * c];
        FcGelu = new float[layers * rows * 4 * c];
        Residual3 = new float[layers * rows * c];
        LnF = new float[rows * c];
        LnFMean = new float[rows];
        LnFRstd = new float[rows];
        Probabilities = new float[rows * config.VocabularySize];

        ResidualGrad = new float[rows * c];
        LogitsGrad = new float[rows * config.VocabularySize];
        NormOutputGrad = new float[rows * c];
        FcGrad = new float[rows * 4 * c];
        AttentionOutputGrad = new float[rows * c];
        QkvGrad = new float[rows * 3 * c];
        NormScratch = new float[2 * c];
        AttentionScratch = new float[config.SequenceLength];
    }

    /// <summary>(B, T) input tokens of the current batch.</summary>
    /// <summary>The bytes of every buffer together: the model's working memory for its batch.</summary>
    public long Bytes =>
        (sizeof(int) * (long)(Tokens.Length + Targets.Length)) + (sizeof(float) * (long)(
            Encoded.Length + Ln1.Length + Ln1Mean.Length + Ln1Rstd.Length + Qkv.Length + AttentionWeights.Length +
            AttentionOutput.Length + Residual2.Length + Ln2.Length + Ln2Mean.Length + Ln2Rstd.Length + Fc.Length + FcGelu.Length +
            Residual3.Length + LnF.Length + LnFMean.Length + LnFRstd.Length + Probabilities.Length + ResidualGrad.Length +
            LogitsGrad.Length + NormOutputGrad.Length + FcGrad.Length + AttentionOutputGrad.Length + QkvGrad.Length +
            NormScratch.Length + AttentionScratch.Length));

    public int[] Tokens { get; }

    /// <summary>(B, T) target tokens of the current batch.</summary>
    public int[] Targets { get; }

    /// <summary>(B, T, C) token plus position embedding: the residual stream entering block 0.</summary>
    public float[] Encoded { get; }

    /// <summary>(L, B, T, C) output of ln_1.</summary>
    public float[] Ln1 { get; }

    /// <summary>(L, B, T) ln_1 row means.</summary>
    public float[] Ln1Mean { get; }

    /// <summary>(L, B, T) ln_1 row 1/σ.</summary>
    public float[] Ln1Rstd { get; }

    /// <summary>(L, B, T, 3C) query, key, value.</summary>
    public float[] Qkv { get; }

    /// <summary>(L, B, H, T, T) attention softmax weights.</summary>
    public float[] AttentionWeights { get; }

    /// <summary>(L, B, T, C) attention output before c_proj.</summary>
    public float[] AttentionOutput { get; }

    /// <summary>(L, B, T, C) residual stream after attention.</summary>
    public float[] Residual2 { get; }

    /// <summary>(L, B, T, C) output of ln_2.</summary>
    public float[] Ln2 { get; }

    /// <summary>(L, B, T) ln_2 row means.</summary>
    public float[] Ln2Mean { get; }

    /// <summary>(L, B, T) ln_2 row 1/σ.</summary>
    public float[] Ln2Rstd { get; }

    /// <summary>(L, B, T, 4C) c_fc output before GELU.</summary>
    public float[] Fc { get; }

    /// <summary>(L, B, T, 4C) GELU output.</summary>
    public float[] FcGelu { get; }

    /// <summary>(L, B, T, C) residual stream leaving the block.</summary>
    public float[] Residual3 { get; }

    /// <summary>(B, T, C) output of ln_f.</summary>
    public float[] LnF { get; }

    /// <summary>(B, T) ln_f row means.</summary>
    public float[] LnFMean { get; }

    /// <summary>(B, T) ln_f row 1/σ.</summary>
    public float[] LnFRstd { get; }

    /// <summary>(B, T, V) logits, turned into probabilities in place by the loss.</summary>
    public float[] Probabilities { get; }

    /// <summary>(B, T, C) gradient of the loss with respect to the residual stream at the current layer.</summary>
    public float[] ResidualGrad { get; }

    /// <summary>(B, T, V) gradient with respect to the logits.</summary>
    public float[] LogitsGrad { get; }

    /// <summary>(B, T, C) gradient with respect to a LayerNorm's output (ln_f, ln_2 or ln_1 in turn).</summary>
    public float[] NormOutputGrad { get; }

    /// <summary>(B, T, 4C) gradient with respect to the GELU output, then its input (in place).</summary>
    public float[] FcGrad { get; }

    /// <summary>(B, T, C) gradient with respect to the attention output.</summary>
    public float[] AttentionOutputGrad { get; }

    /// <summary>(B, T, 3C) gradient with respect to query, key and value.</summary>
    public float[] QkvGrad { get; }

    /// <summary>(2C) per-row scratch of LayerNorm backward.</summary>
    public float[] NormScratch { get; }

    /// <summary>(T) per-row scratch of attention backward.</summary>
    public float[] AttentionScratch { get; }
}
