using Elixir.Numerics;
using Elixir.Planning;
using Elixir.Samples.Training;

namespace Elixir.Cli.Training;

/// <summary>
/// The sample GPT-2 character model as <c>elixir plan --sample</c> and <c>elixir train</c> both plan it: one
/// function builds the planner options from the run's settings, so both commands print the same plan.
/// </summary>
internal static class SamplePlan
{
    /// <summary>The name of the sample model on the command line.</summary>
    public const string Name = "gpt2-char";

    public static PlannerOptions Options(int ranks, DType type, bool offload, bool prefetch, int accumulation, long? chunkSize,
        long? deviceMemoryBytes, long workingMemoryBytes) => new()
    {
        WorldSize = ranks,
        TrainingType = type,
        Offload = offload,
        Prefetch = prefetch,
        AccumulationSteps = accumulation,
        ChunkSize = chunkSize,
        DeviceMemoryBytes = deviceMemoryBytes,
        WorkingMemoryBytes = workingMemoryBytes,
    };

    /// <summary>The sample model's definition for the generated sample text's vocabulary.</summary>
    public static Gpt2Training Model(int channels, int layers, int heads, int sequenceLength, int localBatch) =>
        new(new Samples.Models.Gpt2Config(TrainingCorpus.Sample().VocabularySize, sequenceLength, channels, layers, heads), localBatch, seed: 1);
}
