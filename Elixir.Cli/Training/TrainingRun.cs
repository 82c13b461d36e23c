using System.Diagnostics;
using Elixir.Collectives;
using Elixir.Collectives.Host;
using Elixir.Collectives.Nccl;
using Elixir.Engine;
using Elixir.Kernels;
using Elixir.Kernels.Host;
using Elixir.Memory;
using Elixir.Memory.Host;
using Elixir.Numerics;
using Elixir.Optim;
using Elixir.Planning;
using Elixir.Samples.Data;
using Elixir.Samples.Models;
using Elixir.Samples.Training;

namespace Elixir.Cli.Training;

/// <summary>
/// Trains the sample GPT-2 character model with one <see cref="TrainingEngine"/> per in-process rank: each rank
/// draws its slice of every micro-batch, runs a pass through the engine's scopes, and steps; rank 0 reports.
/// </summary>
internal static class TrainingRun
{
    /// <summary>Weight decay of the matrices (biases and norm weights get none).</summary>
    public const double WeightDecay = 0.01;

    /// <summary>The file-name prefix of the checkpoints <c>elixir train</c> writes and resumes from.</summary>
    public const string CheckpointPrefix = "gpt2-char";

    /// <summary>
    /// The causal masks <c>transformers</c>' GPT-2 keeps beside its parameters in older files
    /// (<c>h.N.attn.bias</c>, <c>h.N.attn.masked_bias</c>): not weights, so <c>--init-from</c> skips them.
    /// </summary>
    public static bool IsHuggingFaceBuffer(string name) =>
        name.EndsWith(".attn.bias", StringComparison.Ordinal) || name.EndsWith(".attn.masked_bias", StringComparison.Ordinal);

    /// <summary>Overflowing steps in a row after which the run gives up.</summary>
    public const int MaxSkippedInARow = 50;

    /// <summary>
    /// Runs <paramref name="settings"/> on <paramref name="corpus"/>, as this process's rank of <paramref name="job"/>
    /// where there is one (GPUs only). <paramref name="started"/> and <paramref name="stepped"/> are called on rank
    /// 0's thread. With <paramref name="gatherParameters"/> the outcome carries the final parameters.
    /// </summary>
    public static TrainingOutcome Execute(
        TrainSettings settings, DistributedEnvironment? job, TrainingCorpus corpus, bool gatherParameters, Action<TrainingStart>? started, Action<StepReport>? stepped)
    {
        if (settings.Device == TrainDevice.Cuda)
        {
            return CudaTrainingRun.Execute(settings, job, corpus, gatherParameters, started, stepped);
        }

        var config = ModelConfig(settings, corpus);
        try
        {
            var outcomes = LocalCluster.Run(settings.Ranks, communicator =>
            {
                using var backend = new HostMemoryBackend();
                var model = new Gpt2Training(config, settings.LocalBatch, settings.Seed);
                return RunRank(communicator, backend, new HostKernels(), model, settings, corpus, config, gatherParameters, started, stepped);
            });
            return outcomes[0];
        }
        catch (LocalClusterException e) when (e.InnerException is not null)
        {
            // The first failing rank's error is the cause; the other ranks only saw the abort.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>The model's sizes for the settings and the corpus's vocabulary.</summary>
    public static Gpt2Config ModelConfig(TrainSettings settings, TrainingCorpus corpus) =>
        new(corpus.VocabularySize, settings.SequenceLength, settings.Channels, settings.Layers, settings.Heads);

    /// <summary>The engine options the settings ask for: AdamW, no decay on one-dimensional tensors, loss scaling for fp16.</summary>
    public static EngineOptions EngineOptions(TrainSettings settings) => new()
    {
        ParameterType = settings.ParameterType,
        Offload = settings.Offload,
        Prefetch = settings.Prefetch,
        AccumulationSteps = settings.Accumulation * settings.EmulatedRanks,
        MaxGradientNorm = settings.Clip,
        DeviceMemoryBytes = settings.DeviceMemoryBytes,
        LossScaling = settings.ParameterType == DType.Float16 ? new LossScalerOptions() : null,
        Adam = new AdamOptions(
            new AdamHyperParameters(LearningRate: settings.LearningRate, WeightDecay: WeightDecay),
            decoupled: true,
            new ParameterGroup<AdamHyperParameters>("no-decay", TensorSelectors.OneDimensional,
                new AdamHyperParameters(LearningRate: settings.LearningRate, WeightDecay: 0))),
    };

    /// <summary>The planner options of the run: the same for <c>elixir train</c> and <c>elixir plan --sample</c>.</summary>
    public static PlannerOptions PlanOptions(TrainSettings settings, ModelDefinition definition) =>
        SamplePlan.Options(settings.Ranks, settings.ParameterType, settings.Offload, settings.Prefetch,
            settings.Accumulation * settings.EmulatedRanks, settings.ChunkSize, settings.DeviceMemoryBytes, definition.WorkingMemoryBytes);

    /// <summary>One rank's training loop on the given backend, kernels and model (host or GPU alike).</summary>
    internal static TrainingOutcome RunRank(
        ICommunicator communicator, IMemoryBackend backend, IKernels kernels, Gpt2Training model,
        TrainSettings settings, TrainingCorpus corpus, Gpt2Config config, bool gatherParameters,
        Action<TrainingStart>? started, Action<StepReport>? stepped)
    {
        bool reporter = communicator.Rank == 0;
        var plan = Planner.Create(model.Definition.PlanParameters(), PlanOptions(settings, model.Definition));
        using var engine = new TrainingEngine(model.Definition, communicator, backend, kernels, EngineOptions(settings), plan);
        if (settings.Resume)
        {
            engine.LoadCheckpoint(settings.CheckpointDirectory!, CheckpointPrefix);
        }
        else if (settings.InitFrom is { } initFrom)
        {
            engine.LoadParameters(initFrom, IsHuggingFaceBuffer);
        }

        int firstStep = engine.StepCount;
        if (reporter)
        {
            started?.Invoke(new TrainingStart(config, engine.Plan, firstStep));
        }

        var sampler = new CharBatchSampler(corpus.Tokens, config.SequenceLength, settings.MicroBatch, settings.Seed);
        var inputs = new int[settings.LocalBatch * config.SequenceLength];
        var targets = new int[inputs.Length];
        var losses = new List<float>(Math.Max(0, settings.Steps - firstStep));
        long tokensPerStep = (long)settings.Batch * config.SequenceLength;
        long tokens = 0;
        int skipped = 0;
        int skippedInARow = 0;
        var clock = Stopwatch.StartNew();
        TimeSpan firstStepElapsed = default;

        // Batches are indexed by attempt, so a run without overflow draws the same batches whether or not it resumed.
        for (long attempt = firstStep; engine.StepCount < settings.Steps; attempt++)
        {
            double loss = 0;
            int ranks = communicator.WorldSize * settings.EmulatedRanks;
            for (int micro = 0; micro < settings.Accumulation; micro++)
            {
                for (int emulated = 0; emulated < settings.EmulatedRanks; emulated++)
                {
                    int rank = communicator.Rank * settings.EmulatedRanks + emulated;
                    sampler.Fill(attempt * settings.Accumulation + micro, rank, ranks, inputs, targets);
                    loss += model.Pass(engine, inputs, targets);
                }
            }

            var result = engine.Step();
            float meanLoss = (float)(communicator.AllReduce(loss, ReduceOp.Sum) / (settings.Accumulation * ranks));
            tokens += tokensPerStep;
            if (tokens == tokensPerStep)
            {
                firstStepElapsed = clock.Elapsed;
            }

            skippedInARow = result.Skipped ? skippedInARow + 1 : 0;
            if (result.Skipped)
            {
                skipped++;
                if (skippedInARow >= MaxSkippedInARow)
                {
                    throw new CliException(ExitCodes.Failure,
                        $"{MaxSkippedInARow} steps in a row overflowed (loss scale {engine.LossScale:G}); lower --lr or train in fp32 or bf16.");
                }
            }
            else
            {
                losses.Add(meanLoss);
            }

            if (reporter && stepped is not null)
            {
                var (device, host) = engine.MemoryBytes;
                stepped(new StepReport(result.Step, meanLoss, result, clock.Elapsed, tokens, device, host));
            }

            if (!result.Skipped && settings.SaveCheckpoints && settings.CheckpointEvery > 0 && result.Step % settings.CheckpointEvery == 0)
            {
                Save(engine, settings);
            }
        }

        clock.Stop();
        if (settings.SaveCheckpoints && (settings.CheckpointEvery == 0 || engine.StepCount % settings.CheckpointEvery != 0 || losses.Count == 0))
        {
            Save(engine, settings);
        }

        var parameters = gatherParameters ? engine.GatherParameters() : null;
        return new TrainingOutcome(firstStep, [.. losses], skipped, engine.LossScale, clock.Elapsed, tokens, parameters,
            engine.Plan, MeasuredMemory.Of(backend.Counters), firstStepElapsed);
    }

    private static void Save(TrainingEngine engine, TrainSettings settings)
    {
        engine.SaveCheckpoint(settings.CheckpointDirectory!, CheckpointPrefix, settings.Consolidated);
        engine.Communicator.Barrier();
        if (engine.Communicator.Rank == 0)
        {
            CheckpointFiles.RemoveStale(settings.CheckpointDirectory!, CheckpointPrefix, engine.Communicator.WorldSize, settings.Consolidated);
        }
    }
}
