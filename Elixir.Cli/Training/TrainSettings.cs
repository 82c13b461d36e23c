using Elixir.Numerics;

namespace Elixir.Cli.Training;

/// <summary>What <c>elixir train</c> was asked to do, checked and ready to run.</summary>
internal sealed record TrainSettings
{
    /// <summary>In-process data-parallel ranks.</summary>
    public required int Ranks { get; init; }

    /// <summary>The parameter chunks' type (fp32, or fp16/bf16 mixed precision).</summary>
    public required DType ParameterType { get; init; }

    /// <summary>Keep shards, master weights and optimizer state in host memory.</summary>
    public required bool Offload { get; init; }

    /// <summary>Prefetch chunks by furthest next use after the first pass.</summary>
    public required bool Prefetch { get; init; }

    /// <summary>Optimizer updates to reach (skipped steps do not count; a resumed run continues from its checkpoint's count).</summary>
    public required int Steps { get; init; }

    /// <summary>Sequences per optimizer step over all ranks and micro-batches.</summary>
    public required int Batch { get; init; }

    /// <summary>Micro-batches per optimizer step.</summary>
    public required int Accumulation { get; init; }

    /// <summary>The AdamW learning rate.</summary>
    public required double LearningRate { get; init; }

    /// <summary>The largest global gradient norm; 0 disables clipping.</summary>
    public required float Clip { get; init; }

    /// <summary>Seeds the initial parameters and the batches.</summary>
    public required ulong Seed { get; init; }

    /// <summary>Print a progress line every this many steps.</summary>
    public required int LogEvery { get; init; }

    /// <summary>Model width (C).</summary>
    public required int Channels { get; init; }

    /// <summary>Transformer blocks (L).</summary>
    public required int Layers { get; init; }

    /// <summary>Attention heads (H).</summary>
    public required int Heads { get; init; }

    /// <summary>Tokens per sequence (T).</summary>
    public required int SequenceLength { get; init; }

    /// <summary>The corpus file, or null for the generated sample text.</summary>
    public string? CorpusPath { get; init; }

    /// <summary>Device memory per rank the run must fit in (planned under and enforced by the backend), or null for no limit.</summary>
    public long? DeviceMemoryBytes { get; init; }

    /// <summary>A fixed public chunk size in elements instead of the minimum-waste search, or null.</summary>
    public long? ChunkSize { get; init; }

    /// <summary>Print one JSON object at the end on standard output, progress on standard error.</summary>
    public bool Json { get; init; }

    /// <summary>Repeat the steps on one rank and compare the parameters.</summary>
    public bool Verify { get; init; }

    /// <summary>The largest parameter difference <see cref="Verify"/> accepts; null for <see cref="Training.VerifyTolerance.Default"/>.</summary>
    public double? VerifyTolerance { get; init; }

    /// <summary>Where checkpoints are saved and resumed from, or null for none.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Save a checkpoint every this many steps (0: only at the end) when <see cref="CheckpointDirectory"/> is set.</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>Write one consolidated file instead of one shard per rank.</summary>
    public bool Consolidated { get; init; }

    /// <summary>Load the checkpoint in <see cref="CheckpointDirectory"/> before training.</summary>
    public bool Resume { get; init; }

    /// <summary>A safetensors file of parameters under their Hugging Face names to start from, or null.</summary>
    public string? InitFrom { get; init; }

    /// <summary>Save checkpoints to <see cref="CheckpointDirectory"/> (false for the verifying run, which only reads).</summary>
    public bool SaveCheckpoints => CheckpointDirectory is not null && !ReadOnlyCheckpoints;

    /// <summary>Never write to <see cref="CheckpointDirectory"/>.</summary>
    public bool ReadOnlyCheckpoints { get; init; }

    /// <summary>Where the ranks compute: <see cref="TrainDevice.Host"/> or <see cref="TrainDevice.Cuda"/>.</summary>
    public string Device { get; init; } = TrainDevice.Host;

    /// <summary>The corpus is tokenized with GPT-2's BPE (<c>--model gpt2-124m</c>), not one token per character.</summary>
    public bool Gpt2Tokens { get; init; }

    /// <summary>Sequences per micro-batch over all ranks.</summary>
    public int MicroBatch => Batch / Accumulation;

    /// <summary>
    /// Data-parallel ranks each rank plays in turn, accumulating their micro-batches in rank order: a 1-rank run
    /// with N emulated ranks sums the same per-rank gradients in the same order as N ranks reduce them.
    /// </summary>
    public int EmulatedRanks { get; init; } = 1;

    /// <summary>Sequences per micro-batch on one (emulated) rank.</summary>
    public int LocalBatch => Batch / Accumulation / Ranks / EmulatedRanks;

    /// <summary>
    /// The settings of the one-rank run <see cref="Verify"/> compares against: the same steps from the same start,
    /// each of this run's ranks emulated in turn, saving nothing, with no device budget (one rank holds all shards).
    /// </summary>
    public TrainSettings OnOneRank() =>
        this with { Ranks = 1, EmulatedRanks = Ranks * EmulatedRanks, Verify = false, ReadOnlyCheckpoints = true, DeviceMemoryBytes = null };
}
