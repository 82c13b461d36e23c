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
    internal static readonly PlannerOptions TwoChunks = new() { ChunkSize = 1100, RCacheBlocks = 2 };

    public static TheoryData<int, string> RanksAndOptimizers => new()
    {
        { 1, "adamw" }, { 2, "adamw" }, { 4, "adamw" }, { 1, "sgd" }, { 2, "sgd" }, { 4, "sgd" },
    };

    [Theory]
    [MemberData(nameof(RanksAndOptimizers))]
    public void Fp32Training_EndsBitForBitWhereThePlainReferenceEnds(int worldSize, string optimizer)
    {
        const int Steps = 5;
        var results = EngineRanks.Run(worldSize, () => Define(GlobalBatch / worldSize), Options(optimizer), TwoChunks,
            (engine, model) => TrainAndGather(engine, model, Steps));

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
        var results = EngineRanks.Run(worldSize, () => Define(GlobalBatch / worldSize), options, TwoChunks,
            (engine, model) => TrainAndGather(engine, model, Steps));

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
        const int Steps = 3;
        var sampler = new RegressionBatchSampler(Config.Inputs, Config.Outputs, 4 * B, Seed);
        var accumulated = EngineRanks.Run(worldSize, () => Define(B / worldSize), Options("adamw") with { AccumulationSteps = 4 }, TwoChunks,
            (engine, model) =>
            {
                var training = ModelRegistry<MlpTraining>.Of(model);
                var inputs = new float[4 * B * Config.Inputs];
                var targets = new float[4 * B * Config.Outputs];
                int rows = B / worldSize;
                for (int step = 0; step < Steps; step++)
                {
                    sampler.Fill(step, 0, 1, inputs, targets);
                    for (int micro = 0; micro < 4; micro++)
                    {
                        // Micro-batch m on rank r takes its rows of the m-th quarter of the big batch.
                        int start = micro * B + engine.Communicator.Rank * rows;
                        training.Pass(engine, inputs.AsSpan(start * Config.Inputs, rows * Config.Inputs),
                            targets.AsSpan(start * Config.Outputs, rows * Config.Outputs));
                    }

                    Assert.False(engine.Step().Skipped);
                }

                return engine.GatherParameters();
            });

        var whole = EngineRanks.Run(1, () => Define(4 * B), Options("adamw"), TwoChunks,
            (engine, model) =>
            {
                var training = ModelRegistry<MlpTraining>.Of(model);
                var inputs = new float[4 * B * Config.Inputs];
                var targets = new float[4 * B * Config.Outputs];
                for (int step = 0; step < Steps; step++)
                {
                    sampler.Fill(step, 0, 1, inputs, targets);
                    training.Pass(engine, inputs, targets);
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
        var allocated = EngineRanks.Run(2, () => Define(GlobalBatch / 2), Options("adamw"), TwoChunks,
            (engine, model) =>
            {
                var training = ModelRegistry<MlpTraining>.Of(model);
                var batch = new Batch(GlobalBatch / 2);
                long before = 0;
                for (int step = 0; step < 6; step++)
                {
                    if (step == 3)
                    {
                        before = GC.GetAllocatedBytesForCurrentThread();
                    }

                    batch.Fill(step, engine.Communicator.Rank, 2);
                    training.Pass(engine, batch.Inputs, batch.Targets);
                    engine.Step();
                }

                return GC.GetAllocatedBytesForCurrentThread() - before;
            });
        Assert.All(allocated, bytes => Assert.Equal(0, bytes));
    }

    internal static ModelDefinition Define(int rows)
    {
        var training = new MlpTraining(Config, rows, Seed);
        return ModelRegistry<MlpTraining>.Register(training, training.Definition);
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

    private static IReadOnlyDictionary<string, float[]> TrainAndGather(TrainingEngine engine, ModelDefinition model, int steps)
    {
        var training = ModelRegistry<MlpTraining>.Of(model);
        int worldSize = engine.Communicator.WorldSize;
        var batch = new Batch(GlobalBatch / worldSize);
        for (int step = 0; step < steps; step++)
        {
            batch.Fill(step, engine.Communicator.Rank, worldSize);
            training.Pass(engine, batch.Inputs, batch.Targets);
            Assert.False(engine.Step().Skipped);
        }

        return engine.GatherParameters();
    }

    /// <summary>One rank's batch of the global batch for a step.</summary>
    internal sealed class Batch(int rows)
    {
        private readonly RegressionBatchSampler _sampler = new(Config.Inputs, Config.Outputs, GlobalBatch, Seed);

        public float[] Inputs { get; } = new float[rows * Config.Inputs];

        public float[] Targets { get; } = new float[rows * Config.Outputs];

        public void Fill(int step, int rank, int worldSize) => _sampler.Fill(step, rank, worldSize, Inputs, Targets);
    }
}
