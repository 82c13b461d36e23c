using Elixir.Samples.Data;
using Elixir.Samples.Models;

namespace Elixir.Runtime.Tests.Samples;

public sealed class MlpGradientTests
{
    private static readonly MlpConfig Small = new(Inputs: 5, Hidden: 6, Outputs: 3);
    private const int Batch = 4;
    // Small enough that no perturbation moves a hidden pre-activation across the ReLU kink for this seed.
    private const float Epsilon = 3e-3f;

    [Fact]
    public void Backward_MatchesCentralFiniteDifferences()
    {
        var model = new MlpModel(Small, Batch);
        var parameters = new MlpParameters(Small);
        var grads = new MlpParameters(Small);
        var random = new SplitMix64(7);
        var values = parameters.Values;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(0.5 * random.NextNormal());
        }

        var inputs = new float[Batch * Small.Inputs];
        var targets = new float[Batch * Small.Outputs];
        new RegressionBatchSampler(Small.Inputs, Small.Outputs, Batch, 3).Fill(0, 0, 1, inputs, targets);
        model.SetBatch(inputs, targets);

        grads.Values.Fill(float.NaN); // Any gradient backward fails to write stays NaN and fails below.
        model.Forward(parameters.Layout);
        model.Backward(parameters.Layout, grads.Layout);

        for (int i = 0; i < values.Length; i++)
        {
            float saved = values[i];
            values[i] = saved + Epsilon;
            double plus = model.Forward(parameters.Layout);
            values[i] = saved - Epsilon;
            double minus = model.Forward(parameters.Layout);
            values[i] = saved;
            double numeric = (plus - minus) / (2 * Epsilon);
            double error = Math.Abs(grads.Values[i] - numeric);
            Assert.True(error <= 3e-4 + 1e-3 * Math.Abs(numeric), $"parameter {i}: backward {grads.Values[i]}, finite difference {numeric}");
        }
    }

    [Fact]
    public void Loss_IsTheMeanSquaredError_OfAHandComputedNetwork()
    {
        var config = new MlpConfig(Inputs: 1, Hidden: 2, Outputs: 1);
        var model = new MlpModel(config, batch: 1);
        var parameters = new MlpParameters(config);
        var p = parameters.Layout;
        // hidden = relu([2, -1] * 3 + [0, 1]) = [6, 0]; y = 6 * 0.5 + 0 * 4 + 1 = 4; (4 - 1)² = 9.
        p.Fc1Weight[0] = 2f;
        p.Fc1Weight[1] = -1f;
        p.Fc1Bias[1] = 1f;
        p.Fc2Weight[0] = 0.5f;
        p.Fc2Weight[1] = 4f;
        p.Fc2Bias[0] = 1f;
        model.SetBatch([3f], [1f]);
        Assert.Equal(9f, model.Forward(p));
        Assert.Equal(4f, model.Predictions[0]);
    }
}
