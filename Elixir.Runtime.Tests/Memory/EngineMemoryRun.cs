using Elixir.Collectives.Host;
using Elixir.Engine;
using Elixir.Kernels.Host;
using Elixir.Memory;
using Elixir.Memory.Host;
using Elixir.Numerics;
using Elixir.Optim;
using Elixir.Planning;
using Elixir.Runtime.Tests.Engine;
using Elixir.Runtime.Tests.Safetensors;
using Elixir.Samples.Models;
using Elixir.Samples.Training;

namespace Elixir.Tests.Memory;

/// <summary>The peaks one rank's backend measured in each phase of a run, per location.</summary>
internal sealed record MeasuredPeaks((long Device, long Host) Construction, (long Device, long Host) Training,
    (long Device, long Host) CheckpointSave, long[] TrainingByCategory);

/// <summary>
/// Builds an engine on each in-process rank over a fresh host backend, trains a few steps and saves a consolidated
/// checkpoint, resetting the backend's peak window between the phases, and returns each rank's plan and peaks.
/// </summary>
internal static class EngineMemoryRun
{
    public const string Mlp = "mlp";
    public const string Gpt2 = "gpt2";

    public static (Plan Plan, MeasuredPeaks Peaks)[] Run(string model, int worldSize, EngineOptions options, PlannerOptions planOptions, int steps = 2)
    {
        return LocalCluster.Run(worldSize, communicator =>
        {
            using var backend = new HostMemoryBackend();
            var (definition, pass) = Define(model, worldSize);
            var plan = Planner.Create(definition.PlanParameters(), planOptions with { WorldSize = worldSize });
            MeasuredPeaks peaks;
            using (var engine = new TrainingEngine(definition, communicator, backend, new HostKernels(), options, plan))
            {
                var construction = Peaks(backend);
                backend.Counters.ResetPeaks();
                for (int step = 0; step < steps; step++)
                {
                    for (int micro = 0; micro < options.AccumulationSteps; micro++)
                    {
                        pass(engine);
                    }

                    engine.Step();
                }

                var training = Peaks(backend);
                var byCategory = new long[2 * MemoryCategories.Count];
                foreach (var location in (MemoryLocation[])[MemoryLocation.Device, MemoryLocation.Host])
                {
                    foreach (var category in MemoryCategories.All)
                    {
                        byCategory[Index(location, category)] = backend.Counters.Peak(location, category);
                    }
                }

                backend.Counters.ResetPeaks();
                using (var directory = communicator.Rank == 0 ? new TempDirectory() : null)
                {
                    engine.SaveCheckpoint(directory?.Path ?? Path.GetTempPath(), "memory", consolidated: true);
                }

                peaks = new MeasuredPeaks(construction, training, Peaks(backend), byCategory);
            }

            Assert.Equal(0, backend.LiveBuffers);
            return (plan, peaks);
        }, new LocalClusterOptions { Checked = true, CollectiveTimeout = TimeSpan.FromSeconds(30) });
    }

    public static int Index(MemoryLocation location, MemoryCategory category) =>
        ((location == MemoryLocation.Device ? 0 : 1) * MemoryCategories.Count) + (int)category;

    public static EngineOptions Options(DType type, bool offload, bool prefetch, int accumulation) => new()
    {
        ParameterType = type,
        Offload = offload,
        Prefetch = prefetch,
        AccumulationSteps = accumulation,
        ReduceInFp32 = type != DType.Float32,
        Adam = new AdamOptions(new AdamHyperParameters(LearningRate: 1e-3f), decoupled: true),
    };

    /// <summary>The plan options matching <paramref name="options"/>, with chunks small enough that every model has several.</summary>
    public static PlannerOptions PlanOptions(string model, EngineOptions options) => new()
    {
        TrainingType = options.ParameterType,
        Offload = options.Offload,
        Prefetch = options.Prefetch,
        AccumulationSteps = options.AccumulationSteps,
        ReduceInFp32 = options.ReduceInFp32,
        ChunkSize = model == Mlp ? 1100 : 1024,
    };

    private static (ModelDefinition Definition, Action<TrainingEngine> Pass) Define(string model, int worldSize)
    {
        if (model == Mlp)
        {
            var config = MlpConfig.Default;
            int rows = 8 / worldSize;
            var mlp = new MlpTraining(config, rows, seed: 3);
            var inputs = new float[rows * config.Inputs];
            var targets = new float[rows * config.Outputs];
            return (mlp.Definition, engine => mlp.Pass(engine, inputs, targets));
        }

        var gpt2 = new Gpt2Training(Gpt2EngineRun.Config, Gpt2EngineRun.GlobalBatch / worldSize, Gpt2EngineRun.Seed);
        var tokens = Enumerable.Range(0, Gpt2EngineRun.GlobalBatch / worldSize * Gpt2EngineRun.Config.SequenceLength)
            .Select(i => i % Gpt2EngineRun.Config.VocabularySize).ToArray();
        return (gpt2.Definition, engine => gpt2.Pass(engine, tokens, tokens));
    }

    private static (long Device, long Host) Peaks(HostMemoryBackend backend) =>
        (backend.Counters.Peak(MemoryLocation.Device), backend.Counters.Peak(MemoryLocation.Host));
}
