using Elixir.Engine;
using Elixir.Numerics;
using Elixir.Optim;
using Elixir.Planning;
using Elixir.Samples.Data;
using Elixir.Samples.Layouts;
using Elixir.Samples.Models;
using Elixir.Samples.Training;

namespace Elixir.Runtime.Tests.Engine;

public sealed class MlpEngineTests
{
    private const int GlobalBatch = 16;
    private const ulong Seed = 3;
    private static readonly MlpConfig Config = MlpConfig.Default;

    // Fc1 (1024 + 64 elements) fills one chunk and Fc2 (256 + 4) a second: the module needs both blocks.
    private static readonly PlannerOptions TwoChunks = new() { ChunkSize = 1100, RCacheBlocks = 2 };

    public static TheoryData<int, string> RanksAndOptimizers => new()
    {
        { 1, "adamw" }, { 2, "adamw" }, { 4, "adamw" }, { 1, "sgd" }, { 2, "sgd" }, { 4, "sgd" },
    };

    [Theory]
    [MemberData(nameof(RanksAndOptimizers))]
    public void Fp32Training_EndsBitForBitWhereThePlainReferenceEnds(int worldSize, string optimizer)
    {
        const int Steps = 5;
        var options = Options(optimizer);
        var results = EngineRanks.Run(worldSize, () => new MlpTraining(Config, GlobalBatch / worldSize, Seed).Definition, options, TwoChunks,
            (engine, model) =>
            {
                var training = Rebind(model);
                for (int step = 0; step < Steps; step++)
                {
                    Pass(training, engine, step, worldSize);
                    Assert.False(engine.Step().Skipped);
                }

                return engine.GatherParameters();
            });

        var expected = Reference(worldSize, Steps, optimizer);
        foreach (var parameters in results)
        {
            AssertBitwiseEqual(expected, parameters);
        }
    }

    [Theory]
    [InlineData(1, DType.Float16)]
    [InlineData(2, DType.Float16)]
    [InlineData(4, DType.BFloat16)]
    public void MixedPrecisionTraining_StaysWithinTheToleranceOfTheFp32Reference(int worldSize, DType type)
    {
        const int Steps = 5;
        var options = Options("adamw") with
        {
            ParameterType = type,
            ReduceInFp32 = worldSize > 2,
            LossScaling = type == DType.Float16 ? new LossScalerOptions(InitialScale: 1024f) : null,
        };
        var results = EngineRanks.Run(worldSize, () => new MlpTraining(Config, GlobalBatch / worldSize, Seed).Definition, options, TwoChunks,
            (engine, model) =>
            {
                var training = Rebind(model);
                for (int step = 0; step < Steps; step++)
                {
                    Pass(training, engine, step, worldSize);
                    Assert.False(engine.Step().Skipped);
                }

                return engine.GatherParameters();
            });

        // Parameters and gradients are rounded to 16 bits every step. An Adam step moves a weight by at most about
        // lr, so no weight can drift more than 2 × steps × lr from the fp32 run; on average the drift is far smaller.
        var expected = Reference(worldSize, Steps, "adamw");
        double total = 0;
        long count = 0;
        foreach (var (name, values) in expected)
        {
            var actual = results[0][name];
            for (int i = 0; i < values.Length; i++)
            {
                double difference = Math.Abs(values[i] - actual[i]);
                Assert.True(difference <= 2 * Steps * 1e-2, $"{name}[{i}]: fp32 {values[i]}, {type} {actual[i]}");
                total += difference;
                count++;
            }
        }

        double mean = total / count;
        Assert.True(mean <= (type == DType.Float16 ? 1e-3 : 4e-3), $"mean drift {mean} from the fp32 run");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void FourMicroBatchesOfB_EqualOneBatchOf4B(int worldSize)
    {
        const int B = 4;
        var accumulated = EngineRanks.Run(worldSize, () => new MlpTraining(Config, B / worldSize, Seed).Definition,
            Options("adamw") with { AccumulationSteps = 4 }, TwoChunks,
            (engine, model) =>
            {
                var layer = (LayoutInstance<MlpLayout>)model.Instances[0];
                var sampler = new RegressionBatchSampler(Config.Inputs, Config.Outputs, 4 * B, Seed);
                var inputs = new float[4 * B * Config.Inputs];
                var targets = new float[4 * B * Config.Outputs];
                for (int step = 0; step < 3; step++)
                {
                    sampler.Fill(step, 0, 1, inputs, targets);
                    for (int micro = 0; micro < 4; micro++)
                    {
                        // Micro-batch m on rank r takes rows [m*B + r*B/N, ...) of the big batch.
                        int rows = B / worldSize;
                        int start = micro * B + engine.Communicator.Rank * rows;
                        PassOn(engine, model, layer, inputs.AsSpan(start * Config.Inputs, rows * Config.Inputs),
                            targets.AsSpan(start * Config.Outputs, rows * Config.Outputs), rows);
                    }

                    Assert.False(engine.Step().Skipped);
                }

                return engine.GatherParameters();
            });

        var whole = EngineRanks.Run(1, () => new MlpTraining(Config, 4 * B, Seed).Definition, Options("adamw"), TwoChunks,
            (engine, model) =>
            {
                var training = Rebind(model);
                var sampler = new RegressionBatchSampler(Config.Inputs, Config.Outputs, 4 * B, Seed);
                var inputs = new float[4 * B * Config.Inputs];
                var targets = new float[4 * B * Config.Outputs];
                for (int step = 0; step < 3; step++)
                {
                    sampler.Fill(step, 0, 1, inputs, targets);
                    PassOn(engine, model, (LayoutInstance<MlpLayout>)model.Instances[0], inputs, targets, 4 * B);
                    engine.Step();
                }

                return engine.GatherParameters();
            });

        foreach (var (name, values) in whole[0])
        {
            var actual = accumulated[0][name];
            for (int i = 0; i < values.Length; i++)
            {
                Assert.True(Math.Abs(values[i] - actual[i]) <= 1e-5f, $"{name}[{i}]: one batch {values[i]}, accumulated {actual[i]}");
            }
        }
    }

    [Fact]
    public void ATrainingStepAfterWarmUp_AllocatesNothingOnAnyRank()
    {
        var allocated = EngineRanks.Run(2, () => new MlpTraining(Config, GlobalBatch / 2, Seed).Definition, Options("adamw"), TwoChunks,
            (engine, model) =>
            {
                var training = Rebind(model);
                var buffers = new Batch(GlobalBatch / 2);
                for (int step = 0; step < 3; step++)
                {
                    buffers.Fill(step, engine.Communicator.Rank, 2);
                    training.Run(engine, buffers);
                    engine.Step();
                }

                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int step = 3; step < 6; step++)
                {
                    buffers.Fill(step, engine.Communicator.Rank, 2);
                    training.Run(engine, buffers);
                    engine.Step();
                }

                return GC.GetAllocatedBytesForCurrentThread() - before;
            });
        Assert.All(allocated, bytes => Assert.Equal(0, bytes));
    }

    internal static EngineOptions Options(string optimizer) => optimizer == "sgd"
        ? new EngineOptions { Sgd = new SgdOptions(new SgdHyperParameters(LearningRate: 0.05f, Momentum: 0.9f)) }
        : new EngineOptions { Adam = new AdamOptions(new AdamHyperParameters(LearningRate: 1e-2f, WeightDecay: 0.01f), decoupled: true) };

    /// <summary>The plain run: the same initial values, batches and optimizer over one flat buffer.</summary>
    internal static Dictionary<string, float[]> Reference(int worldSize, int steps, string optimizer)
    {
        var parameters = new MlpParameters(Config);
        parameters.Initialize(Seed);
        using var trainer = new ReferenceTrainer(parameters.Values);
        var model = new MlpModel(Config, GlobalBatch / worldSize);
        var grads = Enumerable.Range(0, worldSize).Select(_ => new MlpParameters(Config)).ToArray();
        var batch = new Batch(GlobalBatch / worldSize);
        for (int step = 0; step < steps; step++)
        {
            trainer.Parameters.CopyTo(parameters.Values);
            for (int r = 0; r < worldSize; r++)
            {
                batch.Fill(step, r, worldSize);
                model.SetBatch(batch.Inputs, batch.Targets);
                model.Forward(parameters.Layout);
                model.Backward(parameters.Layout, grads[r].Layout);
            }

            trainer.SetAveragedGradient(grads.Select(g => g.Values.ToArray()).ToArray());
            if (optimizer == "sgd")
            {
                trainer.Sgd(0.05f, 0.9f);
            }
            else
            {
                trainer.Adam(1e-2f, 0.01f);
            }
        }

        trainer.Parameters.CopyTo(parameters.Values);
        var binding = parameters.Layout.Binding;
        return Enumerable.Range(0, binding.Table.Count).ToDictionary(t => $"mlp.{binding.Table[t].Name}", t => binding.HostSpan<float>(t).ToArray());
    }

    internal static void AssertBitwiseEqual(IReadOnlyDictionary<string, float[]> expected, IReadOnlyDictionary<string, float[]> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, values) in expected)
        {
            var got = actual[name];
            for (int i = 0; i < values.Length; i++)
            {
                if (BitConverter.SingleToInt32Bits(values[i]) != BitConverter.SingleToInt32Bits(got[i]))
                {
                    Assert.Fail($"{name}[{i}]: reference {values[i]:R}, engine {got[i]:R}");
                }
            }
        }
    }

    private static void Pass(EngineMlp training, TrainingEngine engine, int step, int worldSize)
    {
        var batch = new Batch(GlobalBatch / worldSize);
        batch.Fill(step, engine.Communicator.Rank, worldSize);
        training.Run(engine, batch);
    }

    private static void PassOn(TrainingEngine engine, ModelDefinition model, LayoutInstance<MlpLayout> layer,
        ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, int rows)
    {
        var mlp = new MlpModel(Config, rows);
        mlp.SetBatch(inputs, targets);
        using (engine.Forward(model.Modules[0]))
        {
            mlp.Forward(layer.Parameters);
        }

        using (engine.Backward(model.Modules[0]))
        {
            mlp.Backward(layer.Parameters, layer.Gradients);
        }
    }

    private static EngineMlp Rebind(ModelDefinition model) =>
        new((LayoutInstance<MlpLayout>)model.Instances[0], model.Modules[0], new MlpModel(Config, 1));

    /// <summary>One rank's batch of the global batch for a step.</summary>
    internal sealed class Batch(int rows)
    {
        private readonly RegressionBatchSampler _sampler = new(Config.Inputs, Config.Outputs, GlobalBatch, Seed);

        public float[] Inputs { get; } = new float[rows * Config.Inputs];

        public float[] Targets { get; } = new float[rows * Config.Outputs];

        public void Fill(int step, int rank, int worldSize) => _sampler.Fill(step, rank, worldSize, Inputs, Targets);
    }

    /// <summary>The MLP's pass through the engine's scopes over the layout instance of the engine's own definition.</summary>
    internal sealed class EngineMlp(LayoutInstance<MlpLayout> layer, ComputeModule module, MlpModel model)
    {
        private MlpModel _model = model;

        public float Run(TrainingEngine engine, Batch batch)
        {
            if (_model.Batch * Config.Inputs != batch.Inputs.Length)
            {
                _model = new MlpModel(Config, batch.Inputs.Length / Config.Inputs);
            }

            _model.SetBatch(batch.Inputs, batch.Targets);
            float loss;
            using (engine.Forward(module))
            {
                loss = _model.Forward(layer.Parameters);
            }

            using (engine.Backward(module))
            {
                _model.Backward(layer.Parameters, layer.Gradients);
            }

            return loss;
        }
    }
}
