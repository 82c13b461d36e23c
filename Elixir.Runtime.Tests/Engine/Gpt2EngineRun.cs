using Elixir.Engine;
using Elixir.Layout;
using Elixir.Optim;
using Elixir.Planning;
using Elixir.Samples.Data;
using Elixir.Samples.Models;
using Elixir.Samples.Training;

namespace Elixir.Runtime.Tests.Engine;

/// <summary>
/// A two-block GPT-2-style model trained through the engine, and the same training done plainly on one flat
/// buffer. Chunks of 1024 elements split each block over several chunks, the tied token embedding gets a fused
/// chunk, and the rCache holds only what one module needs, so chunks are evicted and gathered again every pass.
/// </summary>
internal static class Gpt2EngineRun
{
    public const int GlobalBatch = 4;
    public const ulong Seed = 9;
    public const float LearningRate = 1e-2f;
    public static readonly Gpt2Config Config = new(VocabularySize: 12, SequenceLength: 8, Channels: 16, Layers: 2, Heads: 2);
    public static readonly PlannerOptions SmallChunks = new() { ChunkSize = 1024 };

    public static int[] Tokens { get; } = [.. Enumerable.Range(0, 500).Select(i => (i * 7 + i / 5) % 12)];

    public static EngineOptions Options => new()
    {
        Adam = new AdamOptions(new AdamHyperParameters(LearningRate: LearningRate, WeightDecay: 0.1f), decoupled: true,
            new ParameterGroup<AdamHyperParameters>("no-decay", TensorSelectors.NameEndsWith("Bias", "Ln1Weight", "Ln2Weight", "LnFWeight"),
                new AdamHyperParameters(LearningRate: LearningRate, WeightDecay: 0f))),
    };

    /// <summary>Trains steps [first, first + count) on this rank; the sampler's batches depend only on the step.</summary>
    public static void Train(TrainingEngine engine, Gpt2Training model, int first, int count)
    {
        int worldSize = engine.Communicator.WorldSize;
        var sampler = new CharBatchSampler(Tokens, Config.SequenceLength, GlobalBatch, Seed);
        int tokens = GlobalBatch / worldSize * Config.SequenceLength;
        var inputs = new int[tokens];
        var targets = new int[tokens];
        for (int step = first; step < first + count; step++)
        {
            sampler.Fill(step, engine.Communicator.Rank, worldSize, inputs, targets);
            model.Pass(engine, inputs, targets);
            Assert.False(engine.Step().Skipped);
        }
    }

    /// <summary>The plain run over <paramref name="worldSize"/> data-parallel ranks, as full tensors by engine name.</summary>
    public static Dictionary<string, float[]> Reference(int worldSize, int steps)
    {
        var parameters = new Gpt2Parameters(Config);
        parameters.Initialize(Seed);
        using var trainer = new ReferenceTrainer(parameters.Values);
        var decay = new float[parameters.Values.Length];
        var noDecay = TensorSelectors.NameEndsWith("Bias", "Ln1Weight", "Ln2Weight", "LnFWeight");
        foreach (var (name, binding, t) in Tensors(parameters))
        {
            decay.AsSpan(Offset(parameters, binding, t), (int)binding.Table[t].ElementCount).Fill(noDecay(name, binding.Table[t]) ? 0f : 0.1f);
        }

        var models = Enumerable.Range(0, worldSize).Select(_ => new Gpt2Model(Config, GlobalBatch / worldSize)).ToArray();
        var grads = Enumerable.Range(0, worldSize).Select(_ => new Gpt2Parameters(Config)).ToArray();
        var sampler = new CharBatchSampler(Tokens, Config.SequenceLength, GlobalBatch, Seed);
        int tokens = GlobalBatch / worldSize * Config.SequenceLength;
        var inputs = new int[tokens];
        var targets = new int[tokens];
        for (int step = 0; step < steps; step++)
        {
            trainer.Parameters.CopyTo(parameters.Values);
            for (int r = 0; r < worldSize; r++)
            {
                sampler.Fill(step, r, worldSize, inputs, targets);
                var p = parameters;
                var g = grads[r];
                var model = models[r];
                model.EmbeddingForward(p.Embeddings, inputs);
                for (int layer = 0; layer < Config.Layers; layer++)
                {
                    model.BlockForward(layer, p.Block(layer));
                }

                model.HeadForward(p.FinalNorm, p.Embeddings, targets);
                model.HeadBackward(p.FinalNorm, p.Embeddings, g.FinalNorm, g.Embeddings);
                for (int layer = Config.Layers - 1; layer >= 0; layer--)
                {
                    model.BlockBackward(layer, p.Block(layer), g.Block(layer));
                }

                model.EmbeddingBackward(g.Embeddings);
            }

            trainer.SetAveragedGradient(grads.Select(g => g.Values.ToArray()).ToArray());
            trainer.AdamPerElementDecay(LearningRate, decay);
        }

        trainer.Parameters.CopyTo(parameters.Values);
        return Tensors(parameters).ToDictionary(x => x.Name, x => x.Binding.HostSpan<float>(x.Index).ToArray());
    }

    private static int Offset(Gpt2Parameters parameters, LayoutBinding binding, int t) =>
        (int)((binding.AddressOf(t) - binding.AddressOf(0)) / sizeof(float)) + (int)(((long)binding.AddressOf(0) - (long)AddressOfValues(parameters)) / sizeof(float));

    private static unsafe nint AddressOfValues(Gpt2Parameters parameters)
    {
        fixed (float* p = parameters.Values)
        {
            return (nint)p;
        }
    }

    private static IEnumerable<(string Name, LayoutBinding Binding, int Index)> Tensors(Gpt2Parameters p)
    {
        var instances = new List<(string, LayoutBinding)> { ("transformer", p.Embeddings.Binding) };
        for (int layer = 0; layer < Config.Layers; layer++)
        {
            instances.Add(($"transformer.h.{layer}", p.Block(layer).Binding));
        }

        instances.Add(("transformer.ln_f", p.FinalNorm.Binding));
        foreach (var (prefix, binding) in instances)
        {
            for (int t = 0; t < binding.Table.Count; t++)
            {
                yield return ($"{prefix}.{binding.Table[t].Name}", binding, t);
            }
        }
    }
}
