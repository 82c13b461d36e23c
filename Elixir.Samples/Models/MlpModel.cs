using System.Numerics.Tensors;
using Elixir.Samples.Layouts;
using Elixir.Samples.Models.Kernels;

namespace Elixir.Samples.Models;

/// <summary>
/// The two-layer perceptron of <see cref="MlpLayout"/> (<c>hidden = relu(x · W1 + b1)</c>,
/// <c>y = hidden · W2 + b2</c>) with a mean-squared-error loss, computed on the host in fp32.
/// </summary>
/// <remarks>
/// One step: <c>SetBatch</c>, <c>Forward</c> (returns the loss), <c>Backward</c> (overwrites every gradient).
/// The loss is the mean over this instance's B×Outputs values, so the mean of N ranks' gradients is the whole
/// batch's gradient. A gradient view may alias its own parameter view: backward reads each weight before
/// writing its gradient. Buffers are allocated once; steps allocate nothing.
/// </remarks>
public sealed class MlpModel
{
    private readonly float[] _inputs;
    private readonly float[] _targets;
    private readonly float[] _hiddenPre;
    private readonly float[] _hidden;
    private readonly float[] _predictions;
    private readonly float[] _outputGrad;
    private readonly float[] _hiddenGrad;
    private readonly float[] _inputGrad;

    /// <summary>Creates the model for batches of <paramref name="batch"/> samples.</summary>
    public MlpModel(MlpConfig config, int batch)
    {
        config.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        Config = config;
        Batch = batch;
        _inputs = new float[batch * config.Inputs];
        _targets = new float[batch * config.Outputs];
        _hiddenPre = new float[batch * config.Hidden];
        _hidden = new float[batch * config.Hidden];
        _predictions = new float[batch * config.Outputs];
        _outputGrad = new float[batch * config.Outputs];
        _hiddenGrad = new float[batch * config.Hidden];
        _inputGrad = new float[batch * config.Inputs];
    }

    /// <summary>The model's sizes.</summary>
    public MlpConfig Config { get; }

    /// <summary>Samples per batch (B) this instance computes.</summary>
    public int Batch { get; }

    /// <summary>(B, Outputs) predictions of the last forward pass.</summary>
    public ReadOnlySpan<float> Predictions => _predictions;

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

    /// <summary>Runs both layers and returns the mean squared error.</summary>
    public float Forward(in MlpTensors parameters)
    {
        parameters.Validate(Config);
        Linear.Forward(_hiddenPre, _inputs, parameters.Fc1Weight, parameters.Fc1Bias, Batch, Config.Inputs, Config.Hidden);
        TensorPrimitives.Max(_hiddenPre, 0f, _hidden);
        Linear.Forward(_predictions, _hidden, parameters.Fc2Weight, parameters.Fc2Bias, Batch, Config.Hidden, Config.Outputs);
        TensorPrimitives.Subtract(_predictions, _targets, _outputGrad);
        return TensorPrimitives.SumOfSquares(_outputGrad) / _outputGrad.Length;
    }

    /// <summary>Backward of the last <c>Forward</c>: overwrites all four gradients.</summary>
    public void Backward(in MlpTensors parameters, in MlpTensors grads)
    {
        parameters.Validate(Config);
        grads.Validate(Config);
        TensorPrimitives.Subtract(_predictions, _targets, _outputGrad);
        TensorPrimitives.Multiply(_outputGrad, 2f / _outputGrad.Length, _outputGrad);
        Linear.Backward(_hiddenGrad, grads.Fc2Weight, grads.Fc2Bias, _outputGrad, _hidden, parameters.Fc2Weight,
            Batch, Config.Hidden, Config.Outputs);
        for (int i = 0; i < _hiddenGrad.Length; i++)
        {
            if (_hiddenPre[i] <= 0)
            {
                _hiddenGrad[i] = 0;
            }
        }

        Linear.Backward(_inputGrad, grads.Fc1Weight, grads.Fc1Bias, _hiddenGrad, _inputs, parameters.Fc1Weight,
            Batch, Config.Inputs, Config.Hidden);
    }

    /// <summary><c>Forward</c> on a generated layout view.</summary>
    public float Forward(in MlpLayout parameters) => Forward(MlpTensors.From(parameters));

    /// <summary><c>Backward</c> on generated layout views.</summary>
    public void Backward(in MlpLayout parameters, in MlpLayout grads) => Backward(MlpTensors.From(parameters), MlpTensors.From(grads));
}
