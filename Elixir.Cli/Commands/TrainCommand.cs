using System.CommandLine;
using Elixir.Checkpoints;
using Elixir.Collectives.Nccl;
using Elixir.Cuda;
using Elixir.Cli.Training;
using Elixir.Numerics;
using Elixir.Samples.Models;

namespace Elixir.Cli.Commands;

/// <summary><c>elixir train</c>: trains the sample GPT-2 character model over in-process ranks.</summary>
internal static class TrainCommand
{
    private const string CharModel = "char";
    private const string Gpt2Small = "gpt2-124m";
    private static readonly Gpt2Config s_defaults = Gpt2Config.Default(1);

    private static readonly Option<int> s_ranks = new("--ranks") { Description = "In-process data-parallel ranks", DefaultValueFactory = _ => 2 };
    private static readonly Option<string> s_dtype = DTypeOption.Create("Parameter type (fp16 and bf16 keep fp32 masters; fp16 scales the loss)");
    private static readonly Option<bool> s_offload = new("--offload") { Description = "Keep shards and optimizer state in host memory" };
    private static readonly Option<bool> s_prefetch = new("--prefetch") { Description = "Prefetch chunks by furthest next use after the first pass" };
    private static readonly Option<int> s_steps = new("--steps") { Description = "Optimizer steps (0: save the initial weights)", DefaultValueFactory = _ => 200 };
    private static readonly Option<int> s_batch = new("--batch") { Description = "Sequences per step over all ranks (divisible by ranks × accumulation)", DefaultValueFactory = _ => 16 };
    private static readonly Option<int> s_accumulation = new("--accumulation") { Description = "Micro-batches per step", DefaultValueFactory = _ => 1 };
    private static readonly Option<double> s_lr = new("--lr") { Description = "AdamW learning rate", DefaultValueFactory = _ => 3e-3 };
    private static readonly Option<float> s_clip = new("--clip") { Description = "Largest global gradient norm (0: no clipping)", DefaultValueFactory = _ => 1f };
    private static readonly Option<ulong> s_seed = new("--seed") { Description = "Seed of the initial parameters and the batches", DefaultValueFactory = _ => 1UL };
    private static readonly Option<int> s_logEvery = new("--log-every") { Description = "Steps between progress lines", DefaultValueFactory = _ => 10 };
    private static readonly Option<string> s_corpus = new("--corpus") { Description = "A UTF-8 text file to train on (default: the generated sample text)" };
    private static readonly Option<bool> s_verify = new("--verify") { Description = "Repeat the steps on 1 rank and report the largest parameter difference (exit 7 above the tolerance)" };
    private static readonly Option<double?> s_verifyTolerance = new("--verify-tolerance")
    {
        Description = "The largest difference --verify accepts (default: 0 for fp32 on the host without accumulation, else 1% of lr × steps in fp32, 10% with fp16/bf16)",
    };
    private static readonly Option<string> s_checkpointDir = new("--checkpoint-dir") { Description = $"Save checkpoints ({TrainingRun.CheckpointPrefix}*.safetensors) here at the end of training" };
    private static readonly Option<int> s_checkpointEvery = new("--checkpoint-every") { Description = "Also save a checkpoint every N steps (needs --checkpoint-dir)" };
    private static readonly Option<bool> s_consolidated = new("--consolidated") { Description = "Save one consolidated file instead of one shard per rank" };
    private static readonly Option<bool> s_resume = new("--resume") { Description = "Resume from the checkpoint in --checkpoint-dir (saved on any number of ranks)" };
    private static readonly Option<string> s_initFrom = new("--init-from")
    {
        Description = "Start from the parameters in this safetensors file (Hugging Face GPT-2 names, F32/F16/BF16), e.g. from save_pretrained",
    };
    private static readonly Option<int> s_channels = new("--channels") { Description = "Model width C", DefaultValueFactory = _ => s_defaults.Channels };
    private static readonly Option<int> s_layers = new("--layers") { Description = "Transformer blocks L", DefaultValueFactory = _ => s_defaults.Layers };
    private static readonly Option<int> s_heads = new("--heads") { Description = "Attention heads H (must divide C)", DefaultValueFactory = _ => s_defaults.Heads };
    private static readonly Option<string> s_deviceMemory = new("--device-memory") { Description = "Device memory per rank the run must fit in (planned and enforced), e.g. 512MiB" };
    private static readonly Option<long?> s_chunkSize = new("--chunk-size") { Description = "Public chunk size in elements instead of the minimum-waste search" };
    private static readonly Option<bool> s_json = new("--json") { Description = "Print one JSON object at the end (progress goes to standard error)" };
    private static readonly Option<string> s_device = new Option<string>("--device") { Description = "Where to compute: host (in-process ranks) or cuda (GPUs)", DefaultValueFactory = _ => TrainDevice.Host }
        .AcceptOnlyFromAmong(TrainDevice.Host, TrainDevice.Cuda);
    private static readonly Option<string> s_model = new Option<string>("--model")
    {
        Description = $"The model: {CharModel} (the sizes below, one token per character) or {Gpt2Small} (C 768, L 12, H 12, T 1024, GPT-2's BPE tokenizer; overrides the sizes)",
        DefaultValueFactory = _ => CharModel,
    }.AcceptOnlyFromAmong(CharModel, Gpt2Small);
    private static readonly Option<int> s_sequenceLength = new("--sequence-length") { Description = "Tokens per sequence T", DefaultValueFactory = _ => s_defaults.SequenceLength };

    /// <summary>The command with its options and action.</summary>
    public static Command Create()
    {
        var command = new Command("train", "Train the sample GPT-2 character model over in-process ranks.")
        {
            s_ranks, s_dtype, s_offload, s_prefetch, s_steps, s_batch, s_accumulation, s_lr, s_clip, s_seed, s_logEvery, s_corpus, s_verify, s_verifyTolerance,
            s_checkpointDir, s_checkpointEvery, s_consolidated, s_resume, s_initFrom,
            s_channels, s_layers, s_heads, s_sequenceLength, s_deviceMemory, s_chunkSize, s_json, s_device, s_model,
        };
        command.SetAction(Run);
        return command;
    }

    private static int Run(ParseResult result)
    {
        var read = ReadSettings(result);

        // Under elixir launch, torchrun or Slurm this process is one rank of the job; rank 0 alone verifies, on its
        // own GPU, against the same steps on one rank.
        DistributedEnvironment? job = LaunchEnvironment.Detect();
        TrainDevice.Check(read.Device, read.Ranks, job);
        var settings = TrainDevice.Place(read, job);
        bool verifyHere = settings.Verify && (job is null || job.Rank == 0);
        if (settings.SaveCheckpoints)
        {
            // Checked before the corpus is read and any step runs, so an unusable directory costs nothing.
            CheckpointDirectory.RequireWritable(settings.CheckpointDirectory!);
        }

        bool gpt2 = result.GetValue(s_model) == Gpt2Small;
        var corpus = settings.CorpusPath is null ? TrainingCorpus.Sample(gpt2) : TrainingCorpus.Read(settings.CorpusPath, settings.SequenceLength, gpt2);
        var output = result.InvocationConfiguration.Output;
        var reporter = new ProgressReporter(settings.Json ? result.InvocationConfiguration.Error : output, settings, corpus.Source, TrainDevice.Describe(settings, job));
        // A resumed run may overwrite the checkpoint it started from, so its 1-rank reference runs first.
        TrainingOutcome? reference = verifyHere && settings.Resume ? Reference(settings, corpus, reporter) : null;
        var outcome = TrainingRun.Execute(settings, job, corpus, settings.Verify, reporter.Started, reporter.Stepped);
        reporter.Finished(outcome);
        string? verifyFailure = null;
        if (verifyHere)
        {
            reference ??= Reference(settings, corpus, reporter);
            var difference = ParameterDifference.Largest(outcome.Parameters!, reference.Parameters!);
            double tolerance = settings.VerifyTolerance ?? VerifyTolerance.Default(settings, outcome.Losses.Length + outcome.Skipped);
            bool within = difference.Value <= tolerance;
            reporter.Line(
                $"verify: largest parameter difference between {settings.Ranks} rank{(settings.Ranks == 1 ? "" : "s")} and 1 rank: {difference.Value:G6} ({(difference.Value > 0 ? $"in {difference.Tensor}; " : "")}{difference.Count:N0} parameters compared); tolerance {tolerance:G6}: {(within ? "within" : "EXCEEDED")}");
            if (!within)
            {
                verifyFailure = $"--verify: the largest parameter difference, {difference.Value:G6} in {difference.Tensor}, exceeds the tolerance {tolerance:G6}.";
            }
        }

        if (settings.Json)
        {
            output.WriteLine(TrainJson.Write(outcome));
        }

        return verifyFailure is null ? ExitCodes.Success : throw new CliException(ExitCodes.VerifyFailed, verifyFailure);
    }

    private static TrainingOutcome Reference(TrainSettings settings, TrainingCorpus corpus, ProgressReporter reporter)
    {
        // In this process, whatever job this process belongs to.
        var reference = TrainingRun.Execute(settings.OnOneRank(), job: null, corpus, gatherParameters: true, started: null, stepped: null);
        reporter.Line($"verify: the same steps on 1 rank took {reference.Elapsed.TotalSeconds:F1} s");
        return reference;
    }

    private static TrainSettings ReadSettings(ParseResult result)
    {
        int ranks = Positive(result, s_ranks);
        int accumulation = Positive(result, s_accumulation);
        int batch = Positive(result, s_batch);
        if (batch % (ranks * accumulation) != 0)
        {
            throw new CliException(ExitCodes.Usage, accumulation == 1
                ? $"--batch {batch} does not divide evenly over {ranks} ranks."
                : $"--batch {batch} does not divide evenly over {ranks} ranks × {accumulation} accumulation steps.");
        }

        double lr = result.GetValue(s_lr);
        if (!(lr > 0) || double.IsInfinity(lr))
        {
            throw new CliException(ExitCodes.Usage, $"--lr must be positive and finite, got {lr}.");
        }

        float clip = result.GetValue(s_clip);
        if (!(clip >= 0f) || float.IsInfinity(clip))
        {
            throw new CliException(ExitCodes.Usage, $"--clip must be finite and ≥ 0 (0 disables clipping), got {clip}.");
        }

        bool gpt2 = result.GetValue(s_model) == Gpt2Small;
        int channels = gpt2 ? 768 : Positive(result, s_channels);
        int heads = gpt2 ? 12 : Positive(result, s_heads);
        if (channels % heads != 0)
        {
            throw new CliException(ExitCodes.Usage, $"--heads {heads} does not divide --channels {channels}.");
        }

        string? checkpointDir = result.GetValue(s_checkpointDir);
        int checkpointEvery = result.GetValue(s_checkpointEvery);
        if (checkpointEvery < 0)
        {
            throw new CliException(ExitCodes.Usage, $"--checkpoint-every must be ≥ 0, got {checkpointEvery}.");
        }

        bool resume = result.GetValue(s_resume);
        if (checkpointDir is null && (resume || checkpointEvery > 0 || result.GetValue(s_consolidated)))
        {
            string option = resume ? "--resume" : checkpointEvery > 0 ? "--checkpoint-every" : "--consolidated";
            throw new CliException(ExitCodes.Usage, $"{option} needs --checkpoint-dir.");
        }

        string? initFrom = result.GetValue(s_initFrom);
        if (initFrom is not null && resume)
        {
            throw new CliException(ExitCodes.Usage, "--init-from and --resume both set the starting parameters; give one.");
        }

        return new TrainSettings
        {
            Ranks = ranks,
            Device = result.GetValue(s_device)!,
            Gpt2Tokens = gpt2,
            ParameterType = DTypeOption.Value(result, s_dtype),
            Offload = result.GetValue(s_offload),
            Prefetch = result.GetValue(s_prefetch),
            Steps = NonNegative(result, s_steps),
            Batch = batch,
            Accumulation = accumulation,
            LearningRate = lr,
            Clip = clip,
            Seed = result.GetValue(s_seed),
            LogEvery = Positive(result, s_logEvery),
            Channels = channels,
            Layers = gpt2 ? 12 : Positive(result, s_layers),
            Heads = heads,
            SequenceLength = gpt2 ? 1024 : Positive(result, s_sequenceLength),
            CorpusPath = result.GetValue(s_corpus),
            Verify = result.GetValue(s_verify),
            VerifyTolerance = VerifyToleranceValue(result),
            CheckpointDirectory = checkpointDir,
            CheckpointEvery = checkpointEvery,
            Consolidated = result.GetValue(s_consolidated),
            Resume = resume,
            InitFrom = initFrom,
            DeviceMemoryBytes = MemorySizeOption.Parse(result.GetValue(s_deviceMemory), s_deviceMemory.Name),
            ChunkSize = result.GetValue(s_chunkSize) is long chunk && chunk <= 0
                ? throw new CliException(ExitCodes.Usage, $"--chunk-size must be positive, got {chunk}.")
                : result.GetValue(s_chunkSize),
            Json = result.GetValue(s_json),
        };
    }

    private static double? VerifyToleranceValue(ParseResult result)
    {
        double? tolerance = result.GetValue(s_verifyTolerance);
        if (tolerance is double value && (!(value >= 0) || double.IsInfinity(value)))
        {
            throw new CliException(ExitCodes.Usage, $"--verify-tolerance must be finite and ≥ 0, got {value}.");
        }

        if (tolerance is not null && !result.GetValue(s_verify))
        {
            throw new CliException(ExitCodes.Usage, "--verify-tolerance needs --verify.");
        }

        return tolerance;
    }

    private static int Positive(ParseResult result, Option<int> option)
    {
        int value = result.GetValue(option);
        return value > 0 ? value : throw new CliException(ExitCodes.Usage, $"{option.Name} must be positive, got {value}.");
    }

    // --steps 0 is allowed so that a run's starting point can be saved (with --checkpoint-dir) and inspected.
    private static int NonNegative(ParseResult result, Option<int> option)
    {
        int value = result.GetValue(option);
        return value >= 0 ? value : throw new CliException(ExitCodes.Usage, $"{option.Name} must be ≥ 0 (0 saves the initial weights), got {value}.");
    }
}
