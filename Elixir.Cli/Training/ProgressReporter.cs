using System.Globalization;
using Elixir.Numerics;

namespace Elixir.Cli.Training;

/// <summary>Writes <c>elixir train</c>'s header, progress lines and summary.</summary>
/// <param name="output">Where the lines go.</param>
/// <param name="settings">The run's settings.</param>
/// <param name="corpusSource">What the corpus is, for the header.</param>
/// <param name="place">Where the ranks run (<see cref="TrainDevice.Describe"/>), for the header.</param>
internal sealed class ProgressReporter(TextWriter output, TrainSettings settings, string corpusSource, string place)
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;
    private StepReport _lastLogged;
    private int _skippedSinceLog;

    /// <summary>The model, plan and run settings.</summary>
    public void Started(TrainingStart start)
    {
        var c = start.Config;
        var plan = start.Plan;
        output.WriteLine(Format(
            $"model: GPT-2 {(settings.Gpt2Tokens ? "BPE" : "char")} model V={c.VocabularySize} T={c.SequenceLength} C={c.Channels} L={c.Layers} H={c.Heads}, {c.ParameterCount:N0} parameters; corpus: {corpusSource}"));
        output.WriteLine(Format(
            $"run: {place}, {DTypeName(settings.ParameterType)}{(settings.Offload ? ", offload" : "")}{(settings.Prefetch ? ", prefetch" : "")}, ") + Format(
            $"batch {settings.Batch} ({settings.LocalBatch} per rank × {settings.Accumulation} micro-batch{(settings.Accumulation == 1 ? "" : "es")}), ") + Format(
            $"AdamW lr {settings.LearningRate}{(settings.Clip > 0 ? $", clip {settings.Clip}" : "")}, seed {settings.Seed}, steps {start.FirstStep + 1}..{settings.Steps}"));
        output.WriteLine(Format(
            $"plan: {plan.Chunks.Count} chunks ({plan.PublicChunkCount} public of {plan.ChunkSize:N0} elements, {plan.PrivateChunks.Count} fused), ") + Format(
            $"waste {plan.WastePercent:F1}%, rCache {plan.RCache.PublicBlocks} public blocks{(settings.DeviceMemoryBytes is long budget ? $", device budget {budget} bytes per rank" : "")}"));
        Commands.MemoryTable.Write(output, plan.Memory);
        _lastLogged = new StepReport(start.FirstStep, 0, default, TimeSpan.Zero, 0, 0, 0);
    }

    /// <summary>Counts skipped steps and writes a line every <see cref="TrainSettings.LogEvery"/> applied steps and at the last.</summary>
    public void Stepped(StepReport report)
    {
        _skippedSinceLog += report.Result.Skipped ? 1 : 0;
        if (report.Result.Skipped || (report.Step % settings.LogEvery != 0 && report.Step != settings.Steps))
        {
            return;
        }

        double seconds = (report.Elapsed - _lastLogged.Elapsed).TotalSeconds;
        double tokensPerSecond = seconds > 0 ? (report.Tokens - _lastLogged.Tokens) / seconds : 0;
        string line = Format(
            $"step {report.Step,5}  loss {report.Loss,7:F4}  {tokensPerSecond,8:F0} tok/s  mem/rank {Bytes(report.DeviceBytes)} device + {Bytes(report.HostBytes)} host");
        if (report.Result.LossScale != 1f)
        {
            line += Format($"  loss scale {report.Result.LossScale:G}");
        }

        if (_skippedSinceLog > 0)
        {
            line += Format($"  skipped {_skippedSinceLog}");
        }

        output.WriteLine(line);
        _lastLogged = report;
        _skippedSinceLog = 0;
    }

    /// <summary>The final loss, the mean of the first and of the last ten losses (half the run when shorter), the time and the throughput.</summary>
    public void Finished(TrainingOutcome outcome)
    {
        if (outcome.Losses.Length == 0)
        {
            output.WriteLine(Format($"done: nothing to train, already at step {outcome.FirstStep} of {settings.Steps}"));
            WriteMemory(outcome);
            return;
        }

        int window = Math.Clamp(outcome.Losses.Length / 2, 1, 10);
        double first = outcome.Losses.Take(window).Average();
        double last = outcome.Losses.TakeLast(window).Average();
        output.WriteLine(Format(
            $"done: {outcome.Losses.Length} steps (to step {outcome.FirstStep + outcome.Losses.Length}) in {outcome.Elapsed.TotalSeconds:F1} s, {outcome.TokensPerSecond:F0} tok/s; ") + Format(
            $"final loss {outcome.Losses[^1]:F4}; mean loss of the first {window} steps {first:F4}, of the last {window} {last:F4}") + Format(
            $"{(outcome.Skipped > 0 ? $"; skipped {outcome.Skipped}" : "")}{(outcome.LossScale != 1f ? $"; loss scale {outcome.LossScale:G}" : "")}"));
        WriteMemory(outcome);
    }

    /// <summary>Planned against measured peak per rank (rank 0), per location; on the host backend both locations are RAM.</summary>
    private void WriteMemory(TrainingOutcome outcome)
    {
        var planned = outcome.Plan.Memory;
        output.WriteLine(Format(
            $"memory per rank{(settings.Device == TrainDevice.Host ? " (host backend: both locations are RAM)" : "")}: planned peak {planned.Peak(Memory.MemoryLocation.Device)} B {Commands.MemoryTable.DeviceLabel} + ") + Format(
            $"{planned.Peak(Memory.MemoryLocation.Host)} B {Commands.MemoryTable.HostLabel}; measured peak {outcome.Memory.DevicePeak} B + {outcome.Memory.HostPeak} B"));
    }

    /// <summary>Writes a line formatted with the invariant culture.</summary>
    public void Line(FormattableString text) => output.WriteLine(Format(text));

    private static string Format(FormattableString text) => text.ToString(s_invariant);

    private static string DTypeName(DType type) => type switch
    {
        DType.Float16 => "fp16",
        DType.BFloat16 => "bf16",
        _ => "fp32",
    };

    private static string Bytes(long bytes) => bytes >= 1 << 20
        ? (bytes / (double)(1 << 20)).ToString("F1", s_invariant) + " MiB"
        : (bytes / 1024.0).ToString("F1", s_invariant) + " KiB";
}
