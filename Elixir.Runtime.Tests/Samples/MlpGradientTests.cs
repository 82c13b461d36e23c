using Elixir.Samples.Data;
using Elixir.Samples.Models;

namespace Elixir.Runtime.Tests.Samples;

public sealed class MlpGradientTests
{
    private static readonly MlpConfig Small = new(Inputs: 5, Hidden: 6, Outputs: 3, Layers: 3);
    private const int Batch = 4;
    private const float Epsilon = 1e-2f;

    [Fact]
    public void EveryLayersBackward_MatchesCentralFiniteDifferences()
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

        grads.Values.Fill(float.NaN); // Any gradient a backward call fails to write stays NaN and fails below.
        Forward(model, parameters);
        for (int layer = Small.Layers - 1; layer >= 0; layer--)
        {
            model.LayerBackward(layer, parameters.Layer(layer), grads.Layer(layer));
        }

        for (int i = 0; i < values.Length; i++)
        {
            float saved = values[i];
            values[i] = saved + Epsilon;
            double plus = Forward(model, parameters);
            values[i] = saved - Epsilon;
            double minus = Forward(model, parameters);
            values[i] = saved;
            double numeric = (plus - minus) / (2 * Epsilon);
            double error = Math.Abs(grads.Values[i] - numeric);
            Assert.True(error <= 2e-5 + 1e-3 * Math.Abs(numeric), $"parameter {i}: backward {grads.Values[i]}, finite difference {numeric}");
        }
    }

    [Fact]
    public void Loss_IsTheMeanSquaredError()
    {
        var config = new MlpConfig(Inputs: 1, Hidden: 1, Outputs: 2, Layers: 2);
        var model = new MlpModel(config, batch: 1);
        var parameters = new MlpParameters(config);
        // Layer 1 ignores its input (zero weights) and outputs its biases 0.5 and -1.
        parameters.Layer(1).Bias[0] = 0.5f;
        parameters.Layer(1).Bias[1] = -1f;
        model.SetBatch([3f], [1.5f, 1f]);
        Forward(model, parameters);
        Assert.Equal((1.0 + 4.0) / 2, model.Loss(), 6);
    }

    private static float Forward(MlpModel model, MlpParameters parameters)
    {
        for (int layer = 0; layer < model.Config.Layers; layer++)
        {
            model.LayerForward(layer, parameters.Layer(layer));
        }

        return model.Loss();
    }
}
