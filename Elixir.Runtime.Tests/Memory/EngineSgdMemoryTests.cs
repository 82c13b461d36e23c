using Elixir.Collectives.Host;
using Elixir.Engine;
using Elixir.Kernels.Host;
using Elixir.Memory;
using Elixir.Memory.Host;
using Elixir.Numerics;
using Elixir.Optim;
using Elixir.Planning;
using Elixir.Samples.Models;
using Elixir.Samples.Training;

namespace Elixir.Tests.Memory;

/// <summary>
/// SGD's optimizer state as planned and as allocated: the fp32 master plus one momentum buffer when some group has
/// momentum, the master alone when none has. Expected bytes by hand: the MLP's shard elements × 4 × (1 + buffers).
/// </summary>
public sealed class EngineSgdMemoryTests
{
    [Theory]
    [InlineData(0f, 1)]
    [InlineData(0f, 2)]
    [InlineData(0f, 4)]
    [InlineData(0.9f, 1)]
    [InlineData(0.9f, 2)]
    [InlineData(0.9f, 4)]
    public void Optimizer_state_is_the_master_plus_a_momentum_buffer_only_with_momentum(float momentum, int worldSize)
    {
        var options = Sgd(momentum);
        var kind = momentum == 0 ? OptimizerKind.SgdWithoutMomentum : OptimizerKind.Sgd;
        int buffers = momentum == 0 ? 0 : 1;
        var ranks = EngineMemoryRun.Run(EngineMemoryRun.Mlp, worldSize, options,
            EngineMemoryRun.PlanOptions(EngineMemoryRun.Mlp, options) with { Optimizer = kind });

        foreach (var (plan, peaks) in ranks)
        {
            long shardElements = plan.Chunks.Sum(c => c.Size) / worldSize;
            long expected = shardElements * sizeof(float) * (1 + buffers);
            Assert.Equal(expected, plan.Memory.Steady(MemoryLocation.Device, MemoryCategory.OptimizerState));
            Assert.Equal(expected, peaks.TrainingByCategory[EngineMemoryRun.Index(MemoryLocation.Device, MemoryCategory.OptimizerState)]);
        }
    }

    [Fact]
    public void A_plan_counting_fewer_moments_than_the_engine_keeps_is_refused_naming_both()
    {
        var config = MlpConfig.Default;
        var mlp = new MlpTraining(config, 4, seed: 3);
        var options = Sgd(0.9f);
        var plan = Planner.Create(mlp.Definition.PlanParameters(),
            EngineMemoryRun.PlanOptions(EngineMemoryRun.Mlp, options) with { Optimizer = OptimizerKind.SgdWithoutMomentum, WorldSize = 1 });

        var e = LocalCluster.Run(1, communicator =>
        {
            using var backend = new HostMemoryBackend();
            var error = Assert.Throws<ArgumentException>(() => new TrainingEngine(mlp.Definition, communicator, backend, new HostKernels(), options, plan));
            Assert.Equal(0, backend.Counters.Live(MemoryLocation.Device) + backend.Counters.Live(MemoryLocation.Host));
            return error;
        })[0];

        Assert.Contains("optimizer SgdWithoutMomentum (0 fp32 moments per element), the engine's Sgd keeps 1", e.Message, StringComparison.Ordinal);
    }

    private static EngineOptions Sgd(float momentum) => new()
    {
        ParameterType = DType.Float32,
        Sgd = new SgdOptions(new SgdHyperParameters(LearningRate: 1e-2f, Momentum: momentum)),
    };
}
