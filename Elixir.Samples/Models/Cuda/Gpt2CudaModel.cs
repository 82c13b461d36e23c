using Elixir.Cuda;
using Elixir.Layout;
using Elixir.Memory.Cuda;
using Elixir.Memory;
using Elixir.Samples.Layouts;

namespace Elixir.Samples.Models.Cuda;

/// <summary>
/// The sample GPT-2 (<see cref="Gpt2Model"/>'s model, same call order and gradient contract) computed on one GPU with
/// fp32 activations: CUDA C kernels for the element-wise parts and cuBLAS for every matrix product, all queued on one stream
/// (the engine's compute stream), reading parameters through the layouts' device views and writing gradients
/// into the views a backward scope binds. Activations live in one device allocation of
/// <see cref="ActivationBytes"/>. Only <see cref="HeadForward"/> waits for the GPU (to read the loss).
/// </summary>
public sealed class Gpt2CudaModel : IGpt2Compute, IDisposable
{
    private readonly CudaMemoryBackend _backend;
    private readonly IStream _stream;
    private readonly Gpt2CudaKernels _kernels;
    private readonly CublasContext _cublas;
    private readonly Gpt2CudaActivations _a;
    private readonly NativeBuffer _staging;
    private readonly int _rows;

    /// <summary>
    /// Creates the model for batches of <paramref name="batch"/> sequences on <paramref name="backend"/>'s GPU,
    /// queuing on <paramref name="stream"/>. <paramref name="gemmMode"/> says how its fp32 matrix products run:
    /// exactly, or on the tensor cores with inputs rounded to the 16-bit type the parameters are stored in.
    /// </summary>
    public Gpt2CudaModel(Gpt2Config config, int batch, CudaMemoryBackend backend, IStream stream, Float32GemmMode gemmMode = Float32GemmMode.Exact)
    {
        config.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(stream);
        Config = config;
        Batch = batch;
        _rows = batch * config.SequenceLength;
        _backend = backend;
        _stream = stream;
        _kernels = new Gpt2CudaKernels(backend, stream);
        _cublas = new CublasContext(backend, stream) { Float32Mode = gemmMode };
        _a = new Gpt2CudaActivations(backend, config, batch);

        // Pinned host room for the tokens, the targets and the per-token losses read back each step.
        _staging = backend.Allocate(3L * _rows * sizeof(int), MemoryLocation.Host);
    }

    /// <summary>The model's sizes.</summary>
    public Gpt2Config Config { get; }

    /// <summary>Sequences per batch (B).</summary>
    public int Batch { get; }

    /// <summary>Tokens per batch (B × T).</summary>
    public int TokensPerBatch => _rows;

    /// <summary>The device bytes of the activations and backward scratch one pass over the batch needs (the model's working memory).</summary>
    public long ActivationBytes => Gpt2CudaActivations.ByteLength(Config, Batch);

    /// <summary>(B, T, V) softmax probabilities of the last <see cref="HeadForward"/>, on the device.</summary>
    public DevicePointer<float> Probabilities => _a.Probabilities;

    /// <summary>Embeds (B, T) <paramref name="tokens"/>: token plus position embedding.</summary>
    public void EmbeddingForward(in Gpt2Embeddings parameters, ReadOnlySpan<int> tokens)
    {
        Upload(tokens, 0, _a.Tokens, "tokens");
        _kernels.EmbeddingForward(_a.Encoded, _a.Tokens, parameters.Device.Wte, parameters.Device.Wpe, _rows, Config.SequenceLength, Config.Channels);
    }

    /// <summary>Runs transformer block <paramref name="layer"/> on the residual stream left by the previous layer.</summary>
    public void BlockForward(int layer, in Gpt2Block parameters)
    {
        CheckLayer(layer);
        var p = parameters.Device;
        int c = Config.Channels;
        var input = BlockInput(layer);
        var ln1 = PerLayer(_a.Ln1, layer, c);
        var qkv = PerLayer(_a.Qkv, layer, 3 * c);
        var attention = PerLayer(_a.AttentionOutput, layer, c);
        var residual2 = PerLayer(_a.Residual2, layer, c);
        var ln2 = PerLayer(_a.Ln2, layer, c);
        var fc = PerLayer(_a.Fc, layer, 4 * c);
        var fcGelu = PerLayer(_a.FcGelu, layer, 4 * c);
        var residual3 = PerLayer(_a.Residual3, layer, c);

        _kernels.LayerNormForward(ln1, PerLayer(_a.Ln1Mean, layer, 1), PerLayer(_a.Ln1Rstd, layer, 1), input, p.Ln1Weight, p.Ln1Bias, _rows, c);
        LinearForward(qkv, ln1, p.AttnQkvWeight, p.AttnQkvBias, c, 3 * c);
        AttentionForward(layer, attention, qkv);
        LinearForward(residual2, attention, p.AttnProjWeight, p.AttnProjBias, c, c);
        _kernels.Add(residual2, residual2, input);
        _kernels.LayerNormForward(ln2, PerLayer(_a.Ln2Mean, layer, 1), PerLayer(_a.Ln2Rstd, layer, 1), residual2, p.Ln2Weight, p.Ln2Bias, _rows, c);
        LinearForward(fc, ln2, p.MlpFcWeight, p.MlpFcBias, c, 4 * c);
        _kernels.GeluForward(fcGelu, fc);
        LinearForward(residual3, fcGelu, p.MlpProjWeight, p.MlpProjBias, 4 * c, c);
        _kernels.Add(residual3, residual3, residual2);
    }

    /// <summary>Final LayerNorm, logits through the tied token embedding, softmax and the mean cross-entropy; waits for and returns the loss.</summary>
    public float HeadForward(in Gpt2FinalNorm parameters, in Gpt2Embeddings embeddings, ReadOnlySpan<int> targets)
    {
        Upload(targets, _rows, _a.Targets, "targets");
        int c = Config.Channels, v = Config.VocabularySize;
        _kernels.LayerNormForward(_a.LnF, _a.LnFMean, _a.LnFRstd, BlockInput(Config.Layers), parameters.Device.LnFWeight, parameters.Device.LnFBias, _rows, c);
        _cublas.Gemm(GemmOperation.Transpose, GemmOperation.None, v, _rows, c, 1f, embeddings.Device.Wte, c, _a.LnF, c, 0f, _a.Probabilities, v);
        _kernels.CrossEntropyForward(_a.Probabilities, _a.Losses, _a.Probabilities, _a.Targets, _rows, v);
        BufferSlice losses = _staging.Slice(2L * _rows * sizeof(int), (long)_rows * sizeof(float));
        _backend.Copy(losses, _a.Bytes(_a.Losses), _stream);
        _stream.Synchronize();
        double sum = 0;
        foreach (float loss in losses.AsSpan<float>())
        {
            sum += loss;
        }

        return (float)(sum / _rows);
    }

    /// <summary>Backward of <see cref="HeadForward"/>: overwrites the final norm's gradients and the head's share of the token embedding's gradient.</summary>
    public void HeadBackward(in Gpt2FinalNorm parameters, in Gpt2Embeddings embeddings, in Gpt2FinalNorm grads, in Gpt2Embeddings embeddingGrads)
    {
        int c = Config.Channels, v = Config.VocabularySize;
        _kernels.CrossEntropyBackward(_a.LogitsGrad, _a.Probabilities, _a.Targets, _rows, v);
        _cublas.Gemm(GemmOperation.None, GemmOperation.None, c, _rows, v, 1f, embeddings.Device.Wte, c, _a.LogitsGrad, v, 0f, _a.NormGrad, c);
        _cublas.Gemm(GemmOperation.None, GemmOperation.Transpose, c, v, _rows, 1f, _a.LnF, c, _a.LogitsGrad, v, 0f, embeddingGrads.Device.Wte, c);
        _backend.Fill(_a.Bytes(_a.ResidualGrad), 0, _stream);
        _kernels.LayerNormBackward(_a.ResidualGrad, grads.Device.LnFWeight, grads.Device.LnFBias, _a.NormGrad,
            BlockInput(Config.Layers), parameters.Device.LnFWeight, _a.LnFMean, _a.LnFRstd, _rows, c);
    }

    /// <summary>Backward of block <paramref name="layer"/>: overwrites its twelve gradients in <paramref name="grads"/>.</summary>
    public void BlockBackward(int layer, in Gpt2Block parameters, in Gpt2Block grads)
    {
        CheckLayer(layer);
        var p = parameters.Device;
        var g = grads.Device;
        int c = Config.Channels;

        // The residual gradient flows through unchanged; each branch adds its input gradient to it.
        LinearBackward(_a.FcGrad, g.MlpProjWeight, g.MlpProjBias, _a.ResidualGrad, PerLayer(_a.FcGelu, layer, 4 * c), p.MlpProjWeight, 4 * c, c);
        _kernels.GeluBackward(_a.FcGrad, _a.FcGrad, PerLayer(_a.Fc, layer, 4 * c));
        LinearBackward(_a.NormGrad, g.MlpFcWeight, g.MlpFcBias, _a.FcGrad, PerLayer(_a.Ln2, layer, c), p.MlpFcWeight, c, 4 * c);
        _kernels.LayerNormBackward(_a.ResidualGrad, g.Ln2Weight, g.Ln2Bias, _a.NormGrad, PerLayer(_a.Residual2, layer, c),
            p.Ln2Weight, PerLayer(_a.Ln2Mean, layer, 1), PerLayer(_a.Ln2Rstd, layer, 1), _rows, c);

        LinearBackward(_a.AttentionOutputGrad, g.AttnProjWeight, g.AttnProjBias, _a.ResidualGrad, PerLayer(_a.AttentionOutput, layer, c), p.AttnProjWeight, c, c);
        AttentionBackward(layer);
        LinearBackward(_a.NormGrad, g.AttnQkvWeight, g.AttnQkvBias, _a.QkvGrad, PerLayer(_a.Ln1, layer, c), p.AttnQkvWeight, c, 3 * c);
        _kernels.LayerNormBackward(_a.ResidualGrad, g.Ln1Weight, g.Ln1Bias, _a.NormGrad, BlockInput(layer),
            p.Ln1Weight, PerLayer(_a.Ln1Mean, layer, 1), PerLayer(_a.Ln1Rstd, layer, 1), _rows, c);
    }

    /// <summary>Backward of <see cref="EmbeddingForward"/>: adds to the token embedding's gradient and overwrites the position embedding's.</summary>
    public void EmbeddingBackward(in Gpt2Embeddings grads) =>
        _kernels.EmbeddingBackward(grads.Device.Wte, grads.Device.Wpe, _a.ResidualGrad, _a.Tokens, _rows, Config.SequenceLength, Config.Channels);

    /// <inheritdoc/>
    public void Dispose()
    {
        _staging.Dispose();
        _a.Dispose();
        _cublas.Dispose();
        _kernels.Dispose();
    }

    // Y (N, OC) = X (N, IC) · W (IC, OC) + b, row-major: in cuBLAS's column-major terms Yᵀ = Wᵀ·Xᵀ, each stored as is.
    private void LinearForward(DevicePointer<float> output, DevicePointer<float> input, DevicePointer<float> weight, DevicePointer<float> bias, int inChannels, int outChannels)
    {
        _kernels.BiasBroadcast(output, bias, _rows, outChannels);
        _cublas.Gemm(GemmOperation.None, GemmOperation.None, outChannels, _rows, inChannels, 1f, weight, outChannels, input, inChannels, 1f, output, outChannels);
    }

    // dX = dY·Wᵀ (overwritten), dW = Xᵀ·dY, db = Σ_n dY (both overwritten); dW is written after W's last read.
    private void LinearBackward(
        DevicePointer<float> inputGrad, DevicePointer<float> weightGrad, DevicePointer<float> biasGrad, DevicePointer<float> outputGrad,
        DevicePointer<float> input, DevicePointer<float> weight, int inChannels, int outChannels)
    {
        var dx = Gpt2CudaActivations.Slice(inputGrad, 0, (long)_rows * inChannels);
        _cublas.Gemm(GemmOperation.Transpose, GemmOperation.None, inChannels, _rows, outChannels, 1f, weight, outChannels, outputGrad, outChannels, 0f, dx, inChannels);
        _cublas.Gemm(GemmOperation.None, GemmOperation.Transpose, outChannels, inChannels, _rows, 1f, outputGrad, outChannels, input, inChannels, 0f, weightGrad, outChannels);
        _kernels.BiasBackward(biasGrad, outputGrad, _rows, outChannels);
    }

    private void AttentionForward(int layer, DevicePointer<float> output, DevicePointer<float> qkv)
    {
        (int b, int t, int h, int d) = (Batch, Config.SequenceLength, Config.Heads, Config.HeadSize);
        long headElements = (long)_rows * Config.Channels;
        var heads = PerLayer(_a.Heads, layer, 3 * Config.Channels);
        var (q, k, v) = (Gpt2CudaActivations.Slice(heads, 0, headElements), Gpt2CudaActivations.Slice(heads, headElements, headElements),
            Gpt2CudaActivations.Slice(heads, 2 * headElements, headElements));
        var weights = Gpt2CudaActivations.Layer(_a.AttentionWeights, layer, (long)b * h * t * t);
        _kernels.Permute(q, k, v, qkv, b, t, h, d, backward: false);

        // Scores (T, T) = Q·Kᵀ per head (scaled inside the softmax, which overwrites them with the weights), then
        // Y (T, D) = att·V per head into backward's scratch, joined back to (N, C).
        _cublas.GemmStridedBatched(GemmOperation.Transpose, GemmOperation.None, t, t, d, 1f, k, d, (long)t * d, q, d, (long)t * d, 0f, weights, t, (long)t * t, b * h);
        _kernels.SoftmaxForward(weights, weights, 1f / MathF.Sqrt(d), b * h * t, t);
        var y = _a.HeadGrad;
        _cublas.GemmStridedBatched(GemmOperation.None, GemmOperation.None, d, t, t, 1f, v, d, (long)t * d, weights, t, (long)t * t, 0f, y, d, (long)t * d, b * h);
        _kernels.Unpermute(output, y, b, t, h, d, backward: false);
    }

    private void AttentionBackward(int layer)
    {
        (int b, int t, int h, int d) = (Batch, Config.SequenceLength, Config.Heads, Config.HeadSize);
        long headElements = (long)_rows * Config.Channels;
        var heads = PerLayer(_a.Heads, layer, 3 * Config.Channels);
        var (q, k, v) = (Gpt2CudaActivations.Slice(heads, 0, headElements), Gpt2CudaActivations.Slice(heads, headElements, headElements),
            Gpt2CudaActivations.Slice(heads, 2 * headElements, headElements));
        var (dq, dk, dv) = (Gpt2CudaActivations.Slice(_a.HeadsGrad, 0, headElements), Gpt2CudaActivations.Slice(_a.HeadsGrad, headElements, headElements),
            Gpt2CudaActivations.Slice(_a.HeadsGrad, 2 * headElements, headElements));
        var weights = Gpt2CudaActivations.Layer(_a.AttentionWeights, layer, (long)b * h * t * t);
        var dy = _a.HeadGrad;
        long tt = (long)t * t, td = (long)t * d;
        _kernels.Unpermute(dy, _a.AttentionOutputGrad, b, t, h, d, backward: true);
        _cublas.GemmStridedBatched(GemmOperation.Transpose, GemmOperation.None, t, t, d, 1f, v, d, td, dy, d, td, 0f, _a.WeightsGrad, t, tt, b * h);
        _cublas.GemmStridedBatched(GemmOperation.None, GemmOperation.Transpose, d, t, t, 1f, dy, d, td, weights, t, tt, 0f, dv, d, td, b * h);
        _kernels.SoftmaxBackward(_a.WeightsGrad, _a.WeightsGrad, weights, 1f / MathF.Sqrt(d), b * h * t, t);
        _cublas.GemmStridedBatched(GemmOperation.None, GemmOperation.None, d, t, t, 1f, k, d, td, _a.WeightsGrad, t, tt, 0f, dq, d, td, b * h);
        _cublas.GemmStridedBatched(GemmOperation.None, GemmOperation.Transpose, d, t, t, 1f, q, d, td, _a.WeightsGrad, t, tt, 0f, dk, d, td, b * h);
        _kernels.Permute(dq, dk, dv, _a.QkvGrad, b, t, h, d, backward: true);
    }

    private void Upload(ReadOnlySpan<int> tokens, int offset, DevicePointer<int> destination, string name)
    {
        if (tokens.Length != _rows)
        {
            throw new ArgumentException($"The model computes {Batch}×{Config.SequenceLength} = {_rows} {name}; got {tokens.Length}.", name);
        }

        for (int i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] >= (uint)Config.VocabularySize)
            {
                throw new ArgumentOutOfRangeException(name, $"Token {tokens[i]} at index {i} of {name} is outside the vocabulary of {Config.VocabularySize}.");
            }
        }

        // The previous step's copy from this staging slice finished at the last HeadForward's synchronize.
        BufferSlice host = _staging.Slice((long)offset * sizeof(int), (long)_rows * sizeof(int));
        tokens.CopyTo(host.AsSpan<int>());
        _backend.Copy(_a.Bytes(destination), host, _stream);
    }

    private DevicePointer<float> BlockInput(int layer) => layer == 0 ? _a.Encoded : PerLayer(_a.Residual3, layer - 1, Config.Channels);

    private DevicePointer<float> PerLayer(DevicePointer<float> perLayer, int layer, int width) =>
        Gpt2CudaActivations.Layer(perLayer, layer, (long)_rows * width);

    private void CheckLayer(int layer)
    {
        if ((uint)layer >= (uint)Config.Layers)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), $"Layer {layer} is outside the model's {Config.Layers} blocks.");
        }
    }
}
