using System.Numerics.Tensors;
using Elixir.Samples.Layouts;
using Elixir.Samples.Models.Kernels;

namespace Elixir.Samples.Models;

/// <summary>
/// A GPT-2-style character language model computed layer by layer on the host in fp32, so a runtime can hand
/// it each layer's parameters (and gradient buffers) only while that layer's chunks are gathered.
/// </summary>
/// <remarks>
/// One step calls, in order: <c>EmbeddingForward</c>, <c>BlockForward</c> for layers 0..L−1,
/// <c>HeadForward</c> (the loss), then <c>HeadBackward</c>, <c>BlockBackward</c> for
/// layers L−1..0 and <c>EmbeddingBackward</c>. The head uses the token embedding as its weight (tied),
/// so the token embedding's gradient has two parts: <c>HeadBackward</c> writes the first and
/// <c>EmbeddingBackward</c> adds the second. Every other gradient is overwritten by the one call that
/// owns it. The loss is the mean over this instance's B×T tokens, so averaging the gradients of N ranks that
/// each hold B tokens of an N×B batch gives the gradient of the whole batch's mean loss.
/// A gradient view may alias its own parameter view (a runtime may write gradients over parameters it no
/// longer needs): every backward call reads a parameter only before it writes that parameter's gradient.
/// Activations are allocated once in the constructor; steps allocate nothing.
/// </remarks>
public sealed class Gpt2Model : IGpt2Compute
{
    private readonly Gpt2Activations _a;
    private readonly int _rows;

    /// <summary>Creates the model for batches of <paramref name="batch"/> sequences.</summary>
    public Gpt2Model(Gpt2Config config, int batch)
    {
        config.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        Config = config;
        Batch = batch;
        _rows = batch * config.SequenceLength;
        _a = new Gpt2Activations(config, batch);
    }

    /// <summary>The model's sizes.</summary>
    public Gpt2Config Config { get; }

    /// <summary>The bytes of the activations and scratch one pass over the batch needs (the model's working memory).</summary>
    public long ActivationBytes => _a.Bytes;

    /// <summary>Sequences per batch (B) this instance computes.</summary>
    public int Batch { get; }

    /// <summary>Tokens per batch (B × T): the lengths of the token and target spans.</summary>
    public int TokensPerBatch => _rows;

    /// <summary>(B, T, V) softmax probabilities of the last <c>HeadForward</c>.</summary>
    public ReadOnlySpan<float> Probabilities => _a.Probabilities;

    /// <summary>Embeds (B, T) <paramref name="tokens"/>: token embedding plus position embedding.</summary>
    public void EmbeddingForward(in Gpt2EmbeddingTensors parameters, ReadOnlySpan<int> tokens)
    {
        parameters.Validate(Config);
        CheckTokens(tokens, "tokens");
        tokens.CopyTo(_a.Tokens);
        int c = Config.Channels;
        int t = Config.SequenceLength;
        for (int n = 0; n < _rows; n++)
        {
            TensorPrimitives.Add(
                parameters.Wte.Slice(tokens[n] * c, c),
                parameters.Wpe.Slice(n % t * c, c),
                _a.Encoded.AsSpan(n * c, c));
        }
    }

    /// <summary>Runs transformer block <paramref name="layer"/> on the residual stream left by the previous layer.</summary>
    public void BlockForward(int layer, in Gpt2BlockTensors parameters)
    {
        CheckLayer(layer);
        parameters.Validate(Config);
        int c = Config.Channels;
        var input = BlockInput(layer);
        var ln1 = Slice(_a.Ln1, layer, c);
        var qkv = Slice(_a.Qkv, layer, 3 * c);
        var attention = Slice(_a.AttentionOutput, layer, c);
        var residual2 = Slice(_a.Residual2, layer, c);
        var ln2 = Slice(_a.Ln2, layer, c);
        var fc = Slice(_a.Fc, layer, 4 * c);
        var fcGelu = Slice(_a.FcGelu, layer, 4 * c);
        var residual3 = Slice(_a.Residual3, layer, c);

        LayerNorm.Forward(ln1, Slice(_a.Ln1Mean, layer, 1), Slice(_a.Ln1Rstd, layer, 1), input,
            parameters.Ln1Weight, parameters.Ln1Bias, _rows, c);
        Linear.Forward(qkv, ln1, parameters.AttnQkvWeight, parameters.AttnQkvBias, _rows, c, 3 * c);
        CausalAttention.Forward(attention, AttentionWeights(layer), qkv, Batch, Config.SequenceLength, c, Config.Heads);
        Linear.Forward(residual2, attention, parameters.AttnProjWeight, parameters.AttnProjBias, _rows, c, c);
        TensorPrimitives.Add(residual2, input, residual2);
        LayerNorm.Forward(ln2, Slice(_a.Ln2Mean, layer, 1), Slice(_a.Ln2Rstd, layer, 1), residual2,
            parameters.Ln2Weight, parameters.Ln2Bias, _rows, c);
        Linear.Forward(fc, ln2, parameters.MlpFcWeight, parameters.MlpFcBias, _rows, c, 4 * c);
        Gelu.Forward(fcGelu, fc);
        Linear.Forward(residual3, fcGelu, parameters.MlpProjWeight, parameters.MlpProjBias, _rows, 4 * c, c);
        TensorPrimitives.Add(residual3, residual2, residual3);
    }

    /// <summary>
    /// Final LayerNorm, logits through the tied <paramref name="tokenEmbedding"/> (V, C), softmax and the mean
    /// cross-entropy against (B, T) <paramref name="targets"/>; returns the loss.
    /// </summary>
    public float HeadForward(in Gpt2FinalNormTensors parameters, ReadOnlySpan<float> tokenEmbedding, ReadOnlySpan<int> targets)
    {
        parameters.Validate(Config);
        TensorShape.Require(tokenEmbedding.Length, (long)Config.VocabularySize * Config.Channels, "Gpt2Embeddings", "wte");
        CheckTokens(targets, "targets");
        targets.CopyTo(_a.Targets);
        int c = Config.Channels;
        int v = Config.VocabularySize;
        LayerNorm.Forward(_a.LnF, _a.LnFMean, _a.LnFRstd, BlockInput(Config.Layers), parameters.LnFWeight, parameters.LnFBias, _rows, c);
        TiedHead.Forward(_a.Probabilities, _a.LnF, tokenEmbedding, _rows, c, v);
        return SoftmaxCrossEntropy.Forward(_a.Probabilities, targets, _rows, v);
    }

    /// <summary>
    /// Backward of <c>HeadForward</c>: overwrites the final norm's gradients and
    /// <paramref name="tokenEmbeddingGrad"/> (the head's share of the tied embedding's gradient).
    /// </summary>
    public void HeadBackward(
        in Gpt2FinalNormTensors parameters, ReadOnlySpan<float> tokenEmbedding, in Gpt2FinalNormTensors grads, Span<float> tokenEmbeddingGrad)
    {
        parameters.Validate(Config);
        grads.Validate(Config);
        long embeddingSize = (long)Config.VocabularySize * Config.Channels;
        TensorShape.Require(tokenEmbedding.Length, embeddingSize, "Gpt2Embeddings", "wte");
        TensorShape.Require(tokenEmbeddingGrad.Length, embeddingSize, "Gpt2Embeddings", "wte (gradient)");
        int c = Config.Channels;
        int v = Config.VocabularySize;
        SoftmaxCrossEntropy.Backward(_a.LogitsGrad, _a.Probabilities, _a.Targets, _rows, v);
        TiedHead.Backward(_a.NormOutputGrad, tokenEmbeddingGrad, _a.LogitsGrad, _a.LnF, tokenEmbedding, _rows, c, v);
        _a.ResidualGrad.AsSpan().Clear();
        LayerNorm.Backward(_a.ResidualGrad, grads.LnFWeight, grads.LnFBias, _a.NormScratch, _a.NormOutputGrad,
            BlockInput(Config.Layers), parameters.LnFWeight, _a.LnFMean, _a.LnFRstd, _rows, c);
    }

    /// <summary>Backward of block <paramref name="layer"/>: overwrites its twelve gradients in <paramref name="grads"/>.</summary>
    public void BlockBackward(int layer, in Gpt2BlockTensors parameters, in Gpt2BlockTensors grads)
    {
        CheckLayer(layer);
        parameters.Validate(Config);
        grads.Validate(Config);
        int c = Config.Channels;
        Span<float> residualGrad = _a.ResidualGrad;
        Span<float> normGrad = _a.NormOutputGrad;
        Span<float> fcGrad = _a.FcGrad;
        Span<float> attentionGrad = _a.AttentionOutputGrad;
        Span<float> qkvGrad = _a.QkvGrad;

        // The residual gradient flows through unchanged; each branch adds its input gradient to it.
        Linear.Backward(fcGrad, grads.MlpProjWeight, grads.MlpProjBias, residualGrad, Slice(_a.FcGelu, layer, 4 * c),
            parameters.MlpProjWeight, _rows, 4 * c, c);
        Gelu.Backward(fcGrad, fcGrad, Slice(_a.Fc, layer, 4 * c));
        Linear.Backward(normGrad, grads.MlpFcWeight, grads.MlpFcBias, fcGrad, Slice(_a.Ln2, layer, c), parameters.MlpFcWeight, _rows, c, 4 * c);
        LayerNorm.Backward(residualGrad, grads.Ln2Weight, grads.Ln2Bias, _a.NormScratch, normGrad, Slice(_a.Residual2, layer, c),
            parameters.Ln2Weight, Slice(_a.Ln2Mean, layer, 1), Slice(_a.Ln2Rstd, layer, 1), _rows, c);

        Linear.Backward(attentionGrad, grads.AttnProjWeight, grads.AttnProjBias, residualGrad, Slice(_a.AttentionOutput, layer, c),
            parameters.AttnProjWeight, _rows, c, c);
        CausalAttention.Backward(qkvGrad, _a.AttentionScratch, attentionGrad, Slice(_a.Qkv, layer, 3 * c), AttentionWeights(layer),
            Batch, Config.SequenceLength, c, Config.Heads);
        Linear.Backward(normGrad, grads.AttnQkvWeight, grads.AttnQkvBias, qkvGrad, Slice(_a.Ln1, layer, c), parameters.AttnQkvWeight, _rows, c, 3 * c);
        LayerNorm.Backward(residualGrad, grads.Ln1Weight, grads.Ln1Bias, _a.NormScratch, normGrad, BlockInput(layer),
            parameters.Ln1Weight, Slice(_a.Ln1Mean, layer, 1), Slice(_a.Ln1Rstd, layer, 1), _rows, c);
    }

    /// <summary>
    /// Backward of <c>EmbeddingForward</c>: adds to the token embedding's gradient (which holds the
    /// head's share from <c>HeadBackward</c>) and overwrites the position embedding's gradient.
    /// </summary>
    public void EmbeddingBackward(in Gpt2EmbeddingTensors grads)
    {
        grads.Validate(Config);
        int c = Config.Channels;
        int t = Config.SequenceLength;
        grads.Wpe.Clear();
        for (int n = 0; n < _rows; n++)
        {
            var dy = _a.ResidualGrad.AsSpan(n * c, c);
            var tokenGrad = grads.Wte.Slice(_a.Tokens[n] * c, c);
            var positionGrad = grads.Wpe.Slice(n % t * c, c);
            TensorPrimitives.Add(tokenGrad, dy, tokenGrad);
            TensorPrimitives.Add(positionGrad, dy, positionGrad);
        }
    }

    /// <summary><see cref="EmbeddingForward(in Gpt2EmbeddingTensors, ReadOnlySpan{int})"/> on a generated layout view.</summary>
    public void EmbeddingForward(in Gpt2Embeddings parameters, ReadOnlySpan<int> tokens) =>
        EmbeddingForward(Gpt2EmbeddingTensors.From(parameters), tokens);

    /// <summary><see cref="BlockForward(int, in Gpt2BlockTensors)"/> on a generated layout view.</summary>
    public void BlockForward(int layer, in Gpt2Block parameters) => BlockForward(layer, Gpt2BlockTensors.From(parameters));

    /// <summary><see cref="HeadForward(in Gpt2FinalNormTensors, ReadOnlySpan{float}, ReadOnlySpan{int})"/> on generated layout views.</summary>
    public float HeadForward(in Gpt2FinalNorm parameters, in Gpt2Embeddings embeddings, ReadOnlySpan<int> targets) =>
        HeadForward(Gpt2FinalNormTensors.From(parameters), embeddings.Wte, targets);

    /// <summary><see cref="HeadBackward(in Gpt2FinalNormTensors, ReadOnlySpan{float}, in Gpt2FinalNormTensors, Span{float})"/> on generated layout views.</summary>
    public void HeadBackward(in Gpt2FinalNorm parameters, in Gpt2Embeddings embeddings, in Gpt2FinalNorm grads, in Gpt2Embeddings embeddingGrads) =>
        HeadBackward(Gpt2FinalNormTensors.From(parameters), embeddings.Wte, Gpt2FinalNormTensors.From(grads), embeddingGrads.Wte);

    /// <summary><see cref="BlockBackward(int, in Gpt2BlockTensors, in Gpt2BlockTensors)"/> on generated layout views.</summary>
    public void BlockBackward(int layer, in Gpt2Block parameters, in Gpt2Block grads) =>
        BlockBackward(layer, Gpt2BlockTensors.From(parameters), Gpt2BlockTensors.From(grads));

    /// <summary><see cref="EmbeddingBackward(in Gpt2EmbeddingTensors)"/> on a generated layout view.</summary>
    public void EmbeddingBackward(in Gpt2Embeddings grads) => EmbeddingBackward(Gpt2EmbeddingTensors.From(grads));

    private Span<float> BlockInput(int layer) =>
        layer == 0 ? _a.Encoded : Slice(_a.Residual3, layer - 1, Config.Channels);

    private Span<float> Slice(float[] perLayer, int layer, int width) =>
        perLayer.AsSpan(layer * _rows * width, _rows * width);

    private Span<float> AttentionWeights(int layer)
    {
        int size = Batch * Config.Heads * Config.SequenceLength * Config.SequenceLength;
        return _a.AttentionWeights.AsSpan(layer * size, size);
    }

    private void CheckLayer(int layer)
    {
        if ((uint)layer >= (uint)Config.Layers)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), $"Layer {layer} is outside the model's {Config.Layers} blocks.");
        }
    }

    private void CheckTokens(ReadOnlySpan<int> tokens, string name)
    {
        if (tokens.Length != _rows)
        {
            throw new ArgumentException($"The model computes {Batch}×{Config.SequenceLength} = {_rows} {name}; got {tokens.Length}.", name);
        }

        for (int i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] >= (uint)Config.VocabularySize)
            {
                throw new ArgumentOutOfRangeException(
                    name, $"Token {tokens[i]} at index {i} of {name} is outside the vocabulary of {Config.VocabularySize}.");
            }
        }
    }
}
