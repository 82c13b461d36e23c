using Elixir.Cuda;
using Elixir.Layout;
using Elixir.Memory.Cuda;
using Elixir.Memory;
using Elixir.Samples.Layouts;

namespace Elixir.Samples.Models.Cuda;

/// <summary>
/// The sample GPT-2 (<see cref="Gpt2Model"/>'s model, same call order and gradient contract) computed on one GPU in
/// fp32: CUDA C kernels for the element-wise parts and cuBLAS for every matrix product, all queued on one stream
/// (the engine's compute stream), reading parameters through the layouts' device views and writing gradients
/// into the views a backward scope binds. Activations live in one device allocation of
/// <see cref="ActivationBytes"/>. Only <see cref="HeadForward"/> waits for the GPU (to read the loss).
/// </summary>
public sealed class Gpt2CudaModel : IGpt2Compute, IDisposable
{
    private readonly CudaMemoryBackend backend;
    private readonly IStream stream;
    private readonly Gpt2CudaKernels kernels;
    private readonly CublasContext cublas;
    private readonly Gpt2CudaActivations a;
    private readonly NativeBuffer staging;
    private readonly int rows;

    /// <summary>Creates the model for batches of <paramref name="batch"/> sequences on <paramref name="backend"/>'s GPU, queuing on <paramref name="stream"/>.</summary>
    public Gpt2CudaModel(Gpt2Config config, int batch, CudaMemoryBackend backend, IStream stream)
    {
        config.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(stream);
        Config = config;
        Batch = batch;
        rows = batch * config.SequenceLength;
        this.backend = backend;
        this.stream = stream;
        kernels = new Gpt2CudaKernels(backend, stream);
        cublas = new CublasContext(backend, stream);
        a = new Gpt2CudaActivations(backend, config, batch);

        // Pinned host room for the tokens, the targets and the per-token losses read back each step.
        staging = backend.Allocate(3L * rows * sizeof(int), MemoryLocation.Host);
    }

    /// <summary>The model's sizes.</summary>
    public Gpt2Config Config { get; }

    /// <summary>Sequences per batch (B).</summary>
    public int Batch { get; }

    /// <summary>Tokens per batch (B × T).</summary>
    public int TokensPerBatch => rows;

    /// <summary>The device bytes of the activations and backward scratch one pass over the batch needs (the model's working memory).</summary>
    public long ActivationBytes => Gpt2CudaActivations.ByteLength(Config, Batch);

    /// <summary>(B, T, V) softmax probabilities of the last <see cref="HeadForward"/>, on the device.</summary>
    public DevicePointer<float> Probabilities => a.Probabilities;

    /// <summary>Embeds (B, T) <paramref name="tokens"/>: token plus position embedding.</summary>
    public void EmbeddingForward(in Gpt2Embeddings parameters, ReadOnlySpan<int> tokens)
    {
        Upload(tokens, 0, a.Tokens, "tokens");
        kernels.EmbeddingForward(a.Encoded, a.Tokens, parameters.Device.Wte, parameters.Device.Wpe, rows, Config.SequenceLength, Config.Channels);
    }

    /// <summary>Runs transformer block <paramref name="layer"/> on the residual stream left by the previous layer.</summary>
    public void BlockForward(int layer, in Gpt2Block parameters)
    {
        CheckLayer(layer);
        var p = parameters.Device;
        int c = Config.Channels;
        var input = BlockInput(layer);
        var ln1 = PerLayer(a.Ln1, layer, c);
        var qkv = PerLayer(a.Qkv, layer, 3 * c);
        var attention = PerLayer(a.AttentionOutput, layer, c);
        var residual2 = PerLayer(a.Residual2, layer, c);
        var ln2 = PerLayer(a.Ln2, layer, c);
        var fc = PerLayer(a.Fc, layer, 4 * c);
        var fcGelu = PerLayer(a.FcGelu, layer, 4 * c);
        var residual3 = PerLayer(a.Residual3, layer, c);

        kernels.LayerNormForward(ln1, PerLayer(a.Ln1Mean, layer, 1), PerLayer(a.Ln1Rstd, layer, 1), input, p.Ln1Weight, p.Ln1Bias, rows, c);
        LinearForward(qkv, ln1, p.AttnQkvWeight, p.AttnQkvBias, c, 3 * c);
        AttentionForward(layer, attention, qkv);
        LinearForward(residual2, attention, p.AttnProjWeight, p.AttnProjBias, c, c);
        kernels.Add(residual2, residual2, input);
        kernels.LayerNormForward(ln2, PerLayer(a.Ln2Mean, layer, 1), PerLayer(a.Ln2Rstd, layer, 1), residual2, p.Ln2Weight, p.Ln2Bias, rows, c);
        LinearForward(fc, ln2, p.MlpFcWeight, p.MlpFcBias, c, 4 * c);
        kernels.GeluForward(fcGelu, fc);
        LinearForward(residual3, fcGelu, p.MlpProjWeight, p.MlpProjBias, 4 * c, c);
        kernels.Add(residual3, residual3, residual2);
    }

    /// <summary>Final LayerNorm, logits through the tied token embedding, softmax and the mean cross-entropy; waits for and returns the loss.</summary>
    public float HeadForward(in Gpt2FinalNorm parameters, in Gpt2Embeddings embeddings, ReadOnlySpan<int> targets)
    {
        Upload(targets, rows, a.Targets, "targets");
        int c = Config.Channels, v = Config.VocabularySize;
        kernels.LayerNormForward(a.LnF, a.LnFMean, a.LnFRstd, BlockInput(Config.Layers), parameters.Device.LnFWeight, parameters.Device.LnFBias, rows, c);
        cublas.Gemm(GemmOperation.Transpose, GemmOperation.None, v, rows, c, 1f, embeddings.Device.Wte, c, a.LnF, c, 0f, a.Probabilities, v);
        kernels.CrossEntropyForward(a.Probabilities, a.Losses, a.Probabilities, a.Targets, rows, v);
        BufferSlice losses = staging.Slice(2L * rows * sizeof(int), (long)rows * sizeof(float));
        backend.Copy(losses, a.Bytes(a.Losses), stream);
        stream.Synchronize();
        double sum = 0;
        foreach (float loss in losses.AsSpan<float>())
        {
            sum += loss;
        }

        return (float)(sum / rows);
    }

    /// <summary>Backward of <see cref="HeadForward"/>: overwrites the final norm's gradients and the head's share of the token embedding's gradient.</summary>
    public void HeadBackward(in Gpt2FinalNorm parameters, in Gpt2Embeddings embeddings, in Gpt2FinalNorm grads, in Gpt2Embeddings embeddingGrads)
    {
        int c = Config.Channels, v = Config.VocabularySize;
        kernels.CrossEntropyBackward(a.LogitsGrad, a.Probabilities, a.Targets, rows, v);
        cublas.Gemm(GemmOperation.None, GemmOperation.None, c, rows, v, 1f, embeddings.Device.Wte, c, a.LogitsGrad, v, 0f, a.NormGrad, c);
        cublas.Gemm(GemmOperation.None, GemmOperation.Transpose, c, v, rows, 1f, a.LnF, c, a.LogitsGrad, v, 0f, embeddingGrads.Device.Wte, c);
        backend.Fill(a.Bytes(a.ResidualGrad), 0, stream);
        kernels.LayerNormBackward(a.ResidualGrad, grads.Device.LnFWeight, grads.Device.LnFBias, a.NormGrad,
            BlockInput(Config.Layers), parameters.Device.LnFWeight, a.LnFMean, a.LnFRstd, rows, c);
    }

    /// <summary>Backward of block <paramref name="layer"/>: overwrites its twelve gradients in <paramref name="grads"/>.</summary>
    public void BlockBackward(int layer, in Gpt2Block parameters, in Gpt2Block grads)
    {
        CheckLayer(layer);
        var p = parameters.Device;
        var g = grads.Device;
        int c = Config.Channels;

        // The residual gradient flows through unchanged; each branch adds its input gradient to it.
        LinearBackward(a.FcGrad, g.MlpProjWeight, g.MlpProjBias, a.ResidualGrad, PerLayer(a.FcGelu, layer, 4 * c), p.MlpProjWeight, 4 * c, c);
        kernels.GeluBackward(a.FcGrad, a.FcGrad, PerLayer(a.Fc, layer, 4 * c));
        LinearBackward(a.NormGrad, g.MlpFcWeight, g.MlpFcBias, a.FcGrad, PerLayer(a.Ln2, layer, c), p.MlpFcWeight, c, 4 * c);
        kernels.LayerNormBackward(a.ResidualGrad, g.Ln2Weight, g.Ln2Bias, a.NormGrad, PerLayer(a.Residual2, layer, c),
            p.Ln2Weight, PerLayer(a.Ln2Mean, layer, 1), PerLayer(a.Ln2Rstd, layer, 1), rows, c);

        LinearBackward(a.AttentionOutputGrad, g.AttnProjWeight, g.AttnProjBias, a.ResidualGrad, PerLayer(a.AttentionOutput, layer, c), p.AttnProjWeight, c, c);
        AttentionBackward(layer);
        LinearBackward(a.NormGrad, g.AttnQkvWeight, g.AttnQkvBias, a.QkvGrad, PerLayer(a.Ln1, layer, c), p.AttnQkvWeight, c, 3 * c);
        kernels.LayerNormBackward(a.ResidualGrad, g.Ln1Weight, g.Ln1Bias, a.NormGrad, BlockInput(layer),
            p.Ln1Weight, PerLayer(a.Ln1Mean, layer, 1), PerLayer(a.Ln1Rstd, layer, 1), rows, c);
    }

    /// <summary>Backward of <see cref="EmbeddingForward"/>: adds to the token embedding's gradient and overwrites the position embedding's.</summary>
    public void EmbeddingBackward(in Gpt2Embeddings grads) =>
        kernels.EmbeddingBackward(grads.Device.Wte, grads.Device.Wpe, a.ResidualGrad, a.Tokens, rows, Config.SequenceLength, Config.Channels);

    /// <inheritdoc/>
    public void Dispose()
    {
        staging.Dispose();
        a.Dispose();
        cublas.Dispose();
        kernels.Dispose();
    }

    // Y (N, OC) = X (N, IC) · W (IC, OC) + b, row-major: in cuBLAS's column-major terms Yᵀ = Wᵀ·Xᵀ, each stored as is.
    private void LinearForward(DevicePointer<float> output, DevicePointer<float> input, DevicePointer<float> weight, DevicePointer<float> bias, int inChannels, int outChannels)
    {
        kernels.BiasBroadcast(output, bias, rows, outChannels);
        cublas.Gemm(GemmOperation.None, GemmOperation.None, outChannels, rows, inChannels, 1f, weight, outChannels, input, inChannels, 1f, output, outChannels);
    }

    // dX = dY·Wᵀ (overwritten), dW = Xᵀ·dY, db = Σ_n dY (both overwritten); dW is written after W's last read.
    private void LinearBackward(
        DevicePointer<float> inputGrad, DevicePointer<float> weightGrad, DevicePointer<float> biasGrad, DevicePointer<float> outputGrad,
        DevicePointer<float> input, DevicePointer<float> weight, int inChannels, int outChannels)
    {
        var dx = Gpt2CudaActivations.Slice(inputGrad, 0, (long)rows * inChannels);
        cublas.Gemm(GemmOperation.Transpose, GemmOperation.None, inChannels, rows, outChannels, 1f, weight, outChannels, outputGrad, outChannels, 0f, dx, inChannels);
        cublas.Gemm(GemmOperation.None, GemmOperation.Transpose, outChannels, inChannels, rows, 1f, outputGrad, outChannels, input, inChannels, 0f, weightGrad, outChannels);
        kernels.BiasBackward(biasGrad, outputGrad, rows, outChannels);
    }

    private void AttentionForward(int layer, DevicePointer<float> output, DevicePointer<float> qkv)
    {
        (int b, int t, int h, int d) = (Batch, Config.SequenceLength, Config.Heads, Config.HeadSize);
        long headElements = (long)rows * Config.Channels;
        var heads = PerLayer(a.Heads, layer, 3 * Config.Channels);
        var (q, k, v) = (Gpt2CudaActivations.Slice(heads, 0, headElements), Gpt2CudaActivations.Slice(heads, headElements, headElements),
            Gpt2CudaActivations.Slice(heads, 2 * headElements, headElements));
        var weights = Gpt2CudaActivations.Layer(a.AttentionWeights, layer, (long)b * h * t * t);
        kernels.Permute(q, k, v, qkv, b, t, h, d, backward: false);

        // Scores (T, T) = Q·Kᵀ per head (scaled inside the softmax, which overwrites them with the weights), then
        // Y (T, D) = att·V per head into backward's scratch, joined back to (N, C).
        cublas.GemmStridedBatched(GemmOperation.Transpose, GemmOperation.None, t, t, d, 1f, k, d, (long)t * d, q, d, (long)t * d, 0f, weights, t, (long)t * t, b * h);
        kernels.SoftmaxForward(weights, weights, 1f / MathF.Sqrt(d), b * h * t, t);
        var y = a.HeadGrad;
        cublas.GemmStridedBatched(GemmOperation.None, GemmOperation.None, d, t, t, 1f, v, d, (long)t * d, weights, t, (long)t * t, 0f, y, d, (long)t * d, b * h);
        kernels.Unpermute(output, y, b, t, h, d, backward: false);
    }

    private void AttentionBackward(int layer)
    {
        (int b, int t, int h, int d) = (Batch, Config.SequenceLength, Config.Heads, Config.HeadSize);
        long headElements = (long)rows * Config.Channels;
        var heads = PerLayer(a.Heads, layer, 3 * Config.Channels);
        var (q, k, v) = (Gpt2CudaActivations.Slice(heads, 0, headElements), Gpt2CudaActivations.Slice(heads, headElements, headElements),
            Gpt2CudaActivations.Slice(heads, 2 * headElements, headElements));
        var (dq, dk, dv) = (Gpt2CudaActivations.Slice(a.HeadsGrad, 0, headElements), Gpt2CudaActivations.Slice(a.HeadsGrad, headElements, headElements),
            Gpt2CudaActivations.Slice(a.HeadsGrad, 2 * headElements, headElements));
        var weights = Gpt2CudaActivations.Layer(a.AttentionWeights, layer, (long)b * h * t * t);
        var dy = a.HeadGrad;
        long tt = (long)t * t, td = (long)t * d;
        kernels.Unpermute(dy, a.AttentionOutputGrad, b, t, h, d, backward: true);
        cublas.GemmStridedBatched(GemmOperation.Transpose, GemmOperation.None, t, t, d, 1f, v, d, td, dy, d, td, 0f, a.WeightsGrad, t, tt, b * h);
        cublas.GemmStridedBatched(GemmOperation.None, GemmOperation.Transpose, d, t, t, 1f, dy, d, td, weights, t, tt, 0f, dv, d, td, b * h);
        kernels.SoftmaxBackward(a.WeightsGrad, a.WeightsGrad, weights, 1f / MathF.Sqrt(d), b * h * t, t);
        cublas.GemmStridedBatched(GemmOperation.None, GemmOperation.None, d, t, t, 1f, k, d, td, a.WeightsGrad, t, tt, 0f, dq, d, td, b * h);
        cublas.GemmStridedBatched(GemmOperation.None, GemmOperation.Transpose, d, t, t, 1f, q, d, td, a.WeightsGrad, t, tt, 0f, dk, d, td, b * h);
        kernels.Permute(dq, dk, dv, a.QkvGrad, b, t, h, d, backward: true);
    }

    private void Upload(ReadOnlySpan<int> tokens, int offset, DevicePointer<int> destination, string name)
    {
        if (tokens.Length != rows)
        {
            throw new ArgumentException($"The model computes {Batch}×{Config.SequenceLength} = {rows} {name}; got {tokens.Length}.", name);
        }

        for (int i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] >= (uint)Config.VocabularySize)
            {
                throw new ArgumentOutOfRangeException(name, $"Token {tokens[i]} at index {i} of {name} is outside the vocabulary of {Config.VocabularySize}.");
            }
        }

        // The previous step's copy from this staging slice finished at the last HeadForward's synchronize.
        BufferSlice host = staging.Slice((long)offset * sizeof(int), (long)rows * sizeof(int));
        tokens.CopyTo(host.AsSpan<int>());
        backend.Copy(a.Bytes(destination), host, stream);
    }

    private DevicePointer<float> BlockInput(int layer) => layer == 0 ? a.Encoded : PerLayer(a.Residual3, layer - 1, Config.Channels);

    private DevicePointer<float> PerLayer(DevicePointer<float> perLayer, int layer, int width) =>
        Gpt2CudaActivations.Layer(perLayer, layer, (long)rows * width);

    private void CheckLayer(int layer)
    {
        if ((uint)layer >= (uint)Config.Layers)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), $"Layer {layer} is outside the model's {Config.Layers} blocks.");
        }
    }
}
