using Elixir.Engine;
using Elixir.Numerics;
using Elixir.Optim;
using Elixir.Planning;
using Elixir.Samples.Layouts;
using Elixir.Samples.Models;

namespace Elixir.Runtime.Tests.Engine;

public sealed class EngineScalingTests
{
    private static readonly MlpConfig Config = MlpConfig.Default;

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void AnOverflowOnRank1_SkipsTheStepOnEveryRank_AndTheScaleBacksOffAfterTheHysteresis(int worldSize)
    {
        var options = MlpEngineTests.Options("adamw") with
        {
            ParameterType = DType.Float16,
            LossScaling = new LossScalerOptions(InitialScale: 1024f, Hysteresis: 2, GrowthInterval: 1000),
        };
        var results = EngineRanks.Run(worldSize, () => MlpEngineTests.Define(16 / worldSize), options, MlpEngineTests.TwoChunks,
            (engine, model) =>
            {
                var layer = (LayoutInstance<MlpLayout>)model.Instances[0];
                var mlp = new MlpModel(Config, 16 / worldSize);
                var batch = new MlpEngineTests.Batch(16 / worldSize);
                var log = new List<(StepResult Result, float ScaleAfter, bool ParametersChanged)>();
                for (int step = 0; step < 5; step++)
                {
                    var before = engine.GatherParameters();
                    batch.Fill(step, engine.Communicator.Rank, worldSize);
                    mlp.SetBatch(batch.Inputs, batch.Targets);
                    using (engine.Forward(model.Modules[0]))
                    {
                        mlp.Forward(layer.Parameters);
                    }

                    using (engine.Backward(model.Modules[0]))
                    {
                        mlp.Backward(layer.Parameters, layer.Gradients);
                        if (engine.Communicator.Rank == 1 && step is 2 or 3)
                        {
                            layer.Gradients.Fc2Bias[1] = float.PositiveInfinity;
                        }
                    }

                    var result = engine.Step();
                    var after = engine.GatherParameters();
                    log.Add((result, engine.LossScale, before.Any(kv => !kv.Value.SequenceEqual(after[kv.Key]))));
                }

                return log;
            });

        foreach (var log in results)
        {
            Assert.Equal([false, false, true, true, false], log.Select(l => l.Result.Skipped));
            Assert.Equal([true, true, false, false, true], log.Select(l => l.ParametersChanged));
            // The first overflow only counts towards the hysteresis of 2; the second halves the scale.
            Assert.Equal([1024f, 1024f, 1024f, 512f, 512f], log.Select(l => l.ScaleAfter));
            Assert.Equal([1, 2, 2, 2, 3], log.Select(l => l.Result.Step));
            Assert.Equal(512f, log[4].Result.LossScale);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Clipping_ScalesTheGradientToTheMaximumGlobalNorm(int worldSize)
    {
        const float MaxNorm = 0.05f;
        var options = new EngineOptions { Sgd = new SgdOptions(new SgdHyperParameters(LearningRate: 0.5f)), MaxGradientNorm = MaxNorm };
        var results = EngineRanks.Run(worldSize, () => MlpEngineTests.Define(16 / worldSize), options, MlpEngineTests.TwoChunks,
            (engine, model) =>
            {
                var batch = new MlpEngineTests.Batch(16 / worldSize);
                batch.Fill(0, engine.Communicator.Rank, worldSize);
                ModelRegistry<Elixir.Samples.Training.MlpTraining>.Of(model).Pass(engine, batch.Inputs, batch.Targets);
                return (engine.Step(), engine.GatherParameters());
            });

        // The hand computation: average the ranks' gradients, take the norm in double, scale by max / (norm + 1e-6).
        var parameters = new MlpParameters(Config);
        parameters.Initialize(3);
        var initial = parameters.Values.ToArray();
        var model = new MlpModel(Config, 16 / worldSize);
        var sum = new double[initial.Length];
        var grads = new MlpParameters(Config);
        var batchOf = new MlpEngineTests.Batch(16 / worldSize);
        for (int r = 0; r < worldSize; r++)
        {
            batchOf.Fill(0, r, worldSize);
            model.SetBatch(batchOf.Inputs, batchOf.Targets);
            model.Forward(parameters.Layout);
            model.Backward(parameters.Layout, grads.Layout);
            for (int i = 0; i < sum.Length; i++)
            {
                sum[i] += grads.Values[i];
            }
        }

        double norm = Math.Sqrt(sum.Sum(g => (g / worldSize) * (g / worldSize)));
        Assert.True(norm > MaxNorm, $"the test needs a gradient norm above {MaxNorm}; it is {norm}");
        double coefficient = MaxNorm / (norm + 1e-6);
        foreach (var (result, values) in results)
        {
            Assert.True(result.Clipped);
            Assert.Equal(norm, result.GradientNorm, norm * 1e-5);
            var binding = parameters.Layout.Binding;
            for (int t = 0; t < binding.Table.Count; t++)
            {
                var actual = values[$"mlp.{binding.Table[t].Name}"];
                int offset = (int)((binding.AddressOf(t) - binding.AddressOf(0)) / sizeof(float));
                for (int i = 0; i < actual.Length; i++)
                {
                    double expected = initial[offset + i] - 0.5 * coefficient * sum[offset + i] / worldSize;
                    Assert.True(Math.Abs(expected - actual[i]) <= 1e-6, $"{binding.Table[t].Name}[{i}]: expected {expected}, got {actual[i]}");
                }
            }
        }
    }
}
