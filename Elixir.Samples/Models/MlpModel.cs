using System.Numerics.Tensors;
using Elixir.Samples.Models.Kernels;

namespace Elixir.Samples.Models;

/// <summary>
/// A multi-layer perceptron with a mean-squared-error loss, computed layer by layer on the host in fp32.
/// </summary>
/// <remarks>
/// One step: <see cref="SetBatch"/>, <see cref="LayerForward"/> for layers 0..L−1, <see cref="Loss"/>, then
/// <see cref="LayerBackward"/> for layers L−1..0, each overwriting its layer's gradients. The loss is the mean
/// over this instance's B×Outputs values, so the mean of N ranks' gradients is the whole batch's gradient.
/// A gradient view may alias its own parameter view: each layer's backward reads its weight before writing
/// the gradients. Buffers are allocated once; steps allocate nothing.
/// </remarks>
public sealed class MlpModel
{
    private readonly float[] _inputs;
    private readonly float[] _targets;
    private readonly float[][] _preActivations;
    private readonly float[][] _outputs;
    private readonly float[] _gradient;
    private readonly float[] _inputGradient;

    /// <summary>Creates the model for batches of <paramref name="batch"/> samples.</summary>
    public MlpModel(MlpConfig config, int batch)
    {
        config.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        Config = config;
        Batch = batch;
        _inputs = new float[batch * config.Inputs];
        _targets = new float[batch * config.Outputs];
        _preActivations = new float[config.Layers][];
        _outputs = new float[config.Layers][];
        int widest = config.Inputs;
        for (int layer = 0; layer < config.Layers; layer++)
        {
            int width = config.OutputWidth(layer);
            _preActivations[layer] = new float[batch * width];
            _outputs[layer] = layer == config.Layers - 1 ? _preActivations[layer] : new float[batch * width];
            widest = Math.Max(widest, width);
        }

        _gradient = new float[batch * widest];
        _inputGradient = new float[batch * widest];
    }

    /// <summary>The model's sizes.</summary>
    public MlpConfig Config { get; }

    /// <summary>Samples per batch (B) this instance computes.</summary>
    public int Batch { get; }

    /// <summary>(B, Outputs) predictions of the last forward pass.</summary>
    public ReadOnlySpan<float> Predictions => _outputs[^1];

    /// <summary>Copies in (B, Inputs) features and (B, Outputs) targets.</summary>
    public void SetBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets)
    {
        if (inputs.Length != _inputs.Length || targets.Length != _targets.Length)
        {
            throw new ArgumentException(
                $"The MLP computes {Batch} samples: {_inputs.Length} inputs and {_targets.Length} targets expected; " +
                $"got {inputs.Length} and {targets.Length}.");
        }

        inputs.CopyTo(_inputs);
        targets.CopyTo(_targets);
    }

    /// <summary>Runs linear layer <paramref name="layer"/> (and its GELU, except on the last layer).</summary>
    public void LayerForward(int layer, in MlpLayerTensors parameters)
    {
        CheckLayer(layer);
        parameters.Validate(Config, layer);
        Linear.Forward(_preActivations[layer], LayerInput(layer), parameters.Weight, parameters.Bias,
            Batch, Config.InputWidth(layer), Config.OutputWidth(layer));
        if (layer < Config.Layers - 1)
        {
            Gelu.Forward(_outputs[layer], _preActivations[layer]);
        }
    }

    /// <summary>The mean squared error of the last forward pass; also seeds the gradient for backward.</summary>
    public float Loss()
    {
        var predictions = _outputs[^1].AsSpan();
        var difference = _gradient.AsSpan(0, predictions.Length);
        TensorPrimitives.Subtract(predictions, _targets, difference);
        float loss = TensorPrimitives.SumOfSquares(difference) / predictions.Length;
        TensorPrimitives.Multiply(difference, 2f / predictions.Length, difference);
        return loss;
    }

    /// <summary>Backward of layer <paramref name="layer"/>: overwrites its weight and bias gradients.</summary>
    public void LayerBackward(int layer, in MlpLayerTensors parameters, in MlpLayerTensors grads)
    {
        CheckLayer(layer);
        parameters.Validate(Config, layer);
        grads.Validate(Config, layer);
        int outWidth = Config.OutputWidth(layer);
        var outputGrad = _gradient.AsSpan(0, Batch * outWidth);
        if (layer < Config.Layers - 1)
        {
            Gelu.Backward(outputGrad, outputGrad, _preActivations[layer]);
        }

        Linear.Backward(_inputGradient, grads.Weight, grads.Bias, outputGrad, LayerInput(layer), parameters.Weight,
            Batch, Config.InputWidth(layer), outWidth);
        _inputGradient.AsSpan(0, Batch * Config.InputWidth(layer)).CopyTo(_gradient);
    }

    private float[] LayerInput(int layer) => layer == 0 ? _inputs : _outputs[layer - 1];

    private void CheckLayer(int layer)
    {
        if ((uint)layer >= (uint)Config.Layers)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), $"Layer {layer} is outside the MLP's {Config.Layers} layers.");
        }
    }
}
