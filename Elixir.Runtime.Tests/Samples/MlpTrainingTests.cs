using Elixir.Samples.Data;
using Elixir.Samples.Models;

namespace Elixir.Runtime.Tests.Samples;

public sealed class MlpTrainingTests
{
    private const int Batch = 32;

    [Fact]
    public void PlainGradientDescent_MakesTheLossFall_AndAllocatesNothingAfterWarmUp()
    {
        var config = MlpConfig.Default;
        var model = new MlpModel(config, Batch);
        var parameters = new MlpParameters(config);
        var grads = new MlpParameters(config);
        parameters.Initialize(seed: 2);
        var sampler = new RegressionBatchSampler(config.Inputs, config.Outputs, Batch, seed: 2);
        var inputs = new float[Batch * config.Inputs];
        var targets = new float[Batch * config.Outputs];
        var losses = new float[300];
        long allocated = 0;
        for (int step = 0; step < losses.Length; step++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            sampler.Fill(step, 0, 1, inputs, targets);
            model.SetBatch(inputs, targets);
            losses[step] = model.Forward(parameters.Layout);
            model.Backward(parameters.Layout, grads.Layout);
            var values = parameters.Values;
            var g = grads.Values;
            for (int i = 0; i < values.Length; i++)
            {
                values[i] -= 0.1f * g[i];
            }

            if (step >= 2)
            {
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }

        double first = losses.Take(20).Average();
        double last = losses.TakeLast(20).Average();
        Assert.True(last < 0.7 * first, $"mean loss of the first 20 steps {first}, of the last 20 {last}");
        Assert.Equal(0, allocated);
    }
}
