using Elixir.Collectives.Host;
using Elixir.Engine;
using Elixir.Kernels.Host;
using Elixir.Memory;
using Elixir.Memory.Host;
using Elixir.Numerics;
using Elixir.Optim;
using Elixir.Planning;
using Elixir.Runtime.Tests.Engine;
using Elixir.Samples.Data;
using Elixir.Samples.Models;
using Elixir.Samples.Training;

namespace Elixir.Tests.Memory;

/// <summary>A device budget given to the engine is planned under, enforced by the backend, and refused up front when too small.</summary>
public sealed class EngineBudgetTests
{
    // Six blocks make the model large beside what one module needs at once on the device.
    private static readonly Gpt2Config s_config = Gpt2EngineRun.Config with { Layers = 6 };
    private const int Steps = 3;

    public static TheoryData<int> Ranks => new() { 1, 2, 4 };

    [Theory]
    [MemberData(nameof(Ranks))]
    public void AModelFourTimesTheBudget_TrainsUnderItWithOffload_BitForBitAsWithoutIt(int worldSize)
    {
        long budget = Budget(worldSize);
        long parameters = new Gpt2Training(s_config, 1, 1).Definition.PlanParameters().Sum(p => p.ElementCount);
        // Full fp32 training state: the parameter, its gradient-holding shard, the master copy and two Adam moments are
        // 4 bytes each; counting only weights and Adam (16 bytes per parameter) it is already ≥ 4 × the budget.
        Assert.True(16 * parameters >= 4 * budget, $"{16 * parameters} bytes of state against a {budget}-byte budget");

        var constrained = Train(worldSize, Options with { Offload = true, DeviceMemoryBytes = budget }, out var peaks);
        var free = Train(worldSize, Options, out _);
        Assert.All(peaks, peak => Assert.InRange(peak, 1, budget));
        for (int r = 0; r < worldSize; r++)
        {
            Assert.Equal(free[r].Keys.Order(), constrained[r].Keys.Order());
            foreach (var (name, values) in free[r])
            {
                Assert.True(values.AsSpan().SequenceEqual(constrained[r][name]), $"{name} differs on rank {r}");
            }
        }
    }

    [Fact]
    public void ABudgetTooSmallEvenWithOffload_FailsBeforeAnythingIsAllocated_NamingTheShortfallPerCategory()
    {
        long budget = Budget(2) - 1;
        var error = Assert.Throws<LocalClusterException>(() => LocalCluster.Run(2, communicator =>
        {
            using var backend = new HostMemoryBackend();
            var model = new Gpt2Training(s_config, 2, Gpt2EngineRun.Seed);
            var options = Options with { Offload = true, DeviceMemoryBytes = budget };
            try
            {
                using var engine = new TrainingEngine(model.Definition, communicator, backend, new HostKernels(), options, Plan(model, worldSize: 2, offload: true));
            }
            finally
            {
                Assert.Equal(0, backend.LiveBuffers);
                Assert.Null(backend.Counters.Budget(MemoryLocation.Device));
            }

            return 0;
        }));
        var budgetError = Assert.IsType<PlanBudgetException>(error.InnerException);
        Assert.Equal(budget + 1, budgetError.RequiredBytes);
        Assert.Contains("1 bytes short", budgetError.Message);
        Assert.Contains("rCache ", budgetError.Message);
        Assert.Contains("gradients ", budgetError.Message);
        Assert.Contains("model working memory ", budgetError.Message);
    }

    [Fact]
    public void AnAllocationPastABackendBudget_FailsNamingItsCategory_AndTheEngineFreesWhatItHad()
    {
        var error = Assert.Throws<LocalClusterException>(() => LocalCluster.Run(1, communicator =>
        {
            using var backend = new HostMemoryBackend();
            var model = new Gpt2Training(s_config, 2, Gpt2EngineRun.Seed);
            var plan = Plan(model, worldSize: 1, offload: false);
            // Room for the rCache but not the first parameter shard.
            backend.Counters.SetBudget(MemoryLocation.Device, plan.Memory.Steady(MemoryLocation.Device, MemoryCategory.RCache) + 1);
            try
            {
                using var engine = new TrainingEngine(model.Definition, communicator, backend, new HostKernels(), Options, plan);
            }
            finally
            {
                Assert.Equal(0, backend.LiveBuffers);
            }

            return 0;
        }));
        var budgetError = Assert.IsType<MemoryBudgetExceededException>(error.InnerException);
        Assert.Equal(MemoryCategory.ParameterShards, budgetError.Category);
        Assert.Contains("parameter shards", budgetError.Message);
    }

    private static EngineOptions Options => new()
    {
        Adam = new AdamOptions(new AdamHyperParameters(LearningRate: Gpt2EngineRun.LearningRate, WeightDecay: 0.1f), decoupled: true),
        MaxGradientNorm = 1f,
    };

    // The planned device peak of the offloaded run with chunks of 1024 elements and the fewest rCache blocks.
    private static long Budget(int worldSize) =>
        Plan(new Gpt2Training(s_config, Gpt2EngineRun.GlobalBatch / worldSize, Gpt2EngineRun.Seed), worldSize, offload: true).Memory.RequiredDeviceBytes;

    private static Plan Plan(Gpt2Training model, int worldSize, bool offload) =>
        Planner.Create(model.Definition.PlanParameters(), new PlannerOptions { WorldSize = worldSize, Offload = offload, ChunkSize = 1024 });

    private static IReadOnlyDictionary<string, float[]>[] Train(int worldSize, EngineOptions options, out long[] devicePeaks)
    {
        var peaks = new long[worldSize];
        var result = LocalCluster.Run(worldSize, communicator =>
        {
            using var backend = new HostMemoryBackend();
            var model = new Gpt2Training(s_config, Gpt2EngineRun.GlobalBatch / worldSize, Gpt2EngineRun.Seed);
            using var engine = new TrainingEngine(model.Definition, communicator, backend, new HostKernels(), options,
                Plan(model, worldSize, options.Offload));
            var sampler = new CharBatchSampler(Gpt2EngineRun.Tokens, s_config.SequenceLength, Gpt2EngineRun.GlobalBatch, Gpt2EngineRun.Seed);
            var inputs = new int[Gpt2EngineRun.GlobalBatch / worldSize * s_config.SequenceLength];
            var targets = new int[inputs.Length];
            for (int step = 0; step < Steps; step++)
            {
                sampler.Fill(step, communicator.Rank, worldSize, inputs, targets);
                model.Pass(engine, inputs, targets);
                Assert.False(engine.Step().Skipped);
            }

            var parameters = engine.GatherParameters();
            peaks[communicator.Rank] = backend.Counters.Peak(MemoryLocation.Device);
            return parameters;
        });
        devicePeaks = peaks;
        return result;
    }
}
