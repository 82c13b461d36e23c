using Elixir.Samples.Data;
using Elixir.Samples.Models;

namespace Elixir.Runtime.Tests.Engine;

public sealed class EngineInferenceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void AnInferencePass_GivesThePlainForwardLoss_AndReleasesEveryPublicBlock(int worldSize)
    {
        var config = Gpt2EngineRun.Config;
        var results = EngineRanks.Run(worldSize, () => Gpt2EngineTests.NewModel(worldSize).Definition, Gpt2EngineRun.Options, Gpt2EngineRun.SmallChunks,
            (engine, definition) =>
            {
                var model = Gpt2EngineTests.ModelOf(definition);
                var sampler = new CharBatchSampler(Gpt2EngineRun.Tokens, config.SequenceLength, Gpt2EngineRun.GlobalBatch, Gpt2EngineRun.Seed);
                int tokens = Gpt2EngineRun.GlobalBatch / worldSize * config.SequenceLength;
                var inputs = new int[tokens];
                var targets = new int[tokens];
                sampler.Fill(0, engine.Communicator.Rank, worldSize, inputs, targets);
                float loss = model.Evaluate(engine, inputs, targets);
                var pool = engine.Chunks[0].Pool;
                Assert.Equal(pool.PublicBlockCount, pool.FreePublicCount);
                Assert.All(engine.Chunks.Where(c => !c.IsFused), c => Assert.False(c.IsGathered));

                // Inference changes nothing: training afterwards is the plain training.
                Gpt2EngineRun.Train(engine, model, 0, 2);
                return (loss, engine.GatherParameters());
            });

        var parameters = new Gpt2Parameters(config);
        parameters.Initialize(Gpt2EngineRun.Seed);
        var sampler = new CharBatchSampler(Gpt2EngineRun.Tokens, config.SequenceLength, Gpt2EngineRun.GlobalBatch, Gpt2EngineRun.Seed);
        var expected = new List<float>();
        for (int r = 0; r < worldSize; r++)
        {
            int tokens = Gpt2EngineRun.GlobalBatch / worldSize * config.SequenceLength;
            var inputs = new int[tokens];
            var targets = new int[tokens];
            sampler.Fill(0, r, worldSize, inputs, targets);
            var plain = new Gpt2Model(config, Gpt2EngineRun.GlobalBatch / worldSize);
            plain.EmbeddingForward(parameters.Embeddings, inputs);
            for (int layer = 0; layer < config.Layers; layer++)
            {
                plain.BlockForward(layer, parameters.Block(layer));
            }

            expected.Add(plain.HeadForward(parameters.FinalNorm, parameters.Embeddings, targets));
        }

        Assert.Equal(expected, results.Select(r => r.loss));
        var trained = Gpt2EngineRun.Reference(worldSize, 2);
        foreach (var (_, values) in results)
        {
            MlpEngineTests.AssertBitwiseEqual(trained, values);
        }
    }
}
