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

    [Fact]
    public void Predictions_MatchAPlainLoop_ForSizesThatAreNotMultiplesOfTheVectorWidth()
    {
        var config = new MlpConfig(Inputs: 11, Hidden: 19, Outputs: 3);
        const int batch = 7;
        var model = new MlpModel(config, batch);
        var parameters = new MlpParameters(config);
        var random = new SplitMix64(12);
        foreach (ref float value in parameters.Values)
        {
            value = (float)random.NextNormal();
        }

        var inputs = new float[batch * config.Inputs];
        foreach (ref float value in inputs.AsSpan())
        {
            value = (float)random.NextNormal();
        }

        model.SetBatch(inputs, new float[batch * config.Outputs]);
        model.Forward(parameters.Layout);

        var p = parameters.Layout;
        for (int n = 0; n < batch; n++)
        {
            var hidden = new double[config.Hidden];
            for (int h = 0; h < config.Hidden; h++)
            {
                double sum = p.Fc1Bias[h];
                for (int i = 0; i < config.Inputs; i++)
                {
                    sum += inputs[n * config.Inputs + i] * (double)p.Fc1Weight[i * config.Hidden + h];
                }

                hidden[h] = Math.Max(sum, 0);
            }

            for (int o = 0; o < config.Outputs; o++)
            {
                double sum = p.Fc2Bias[o];
                for (int h = 0; h < config.Hidden; h++)
                {
                    sum += hidden[h] * p.Fc2Weight[h * config.Outputs + o];
                }

                Assert.Equal(sum, model.Predictions[n * config.Outputs + o], 1e-4);
            }
        }
    }
}
