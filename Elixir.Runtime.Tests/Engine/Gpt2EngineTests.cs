using Elixir.Engine;
using Elixir.Samples.Training;

namespace Elixir.Runtime.Tests.Engine;

public sealed class Gpt2EngineTests
{
    [Theory]
    [InlineData(1, false, false)]
    [InlineData(2, false, false)]
    [InlineData(4, false, false)]
    [InlineData(2, true, false)]
    [InlineData(4, true, true)]
    public void TwoBlockModel_EndsBitForBitWhereThePlainReferenceEnds(int worldSize, bool prefetch, bool offload)
    {
        const int Steps = 4;
        var options = Gpt2EngineRun.Options with { Prefetch = prefetch, Offload = offload };
        var results = EngineRanks.Run(worldSize, () => NewModel(worldSize).Definition, options, Gpt2EngineRun.SmallChunks,
            (engine, definition) =>
            {
                Gpt2EngineRun.Train(engine, ModelOf(definition), 0, Steps);
                Assert.True(engine.FetchCounters.Evictions > 0, "the small rCache should force evictions");
                Assert.Equal(offload, engine.Chunks.All(c => c.ShardLocation == Memory.MemoryLocation.Host));
                if (prefetch)
                {
                    Assert.True(engine.FetchCounters.PrefetchHits > 0, "later passes should find prefetched chunks");
                }

                return engine.GatherParameters();
            });

        var expected = Gpt2EngineRun.Reference(worldSize, Steps);
        foreach (var parameters in results)
        {
            MlpEngineTests.AssertBitwiseEqual(expected, parameters);
        }
    }

    internal static Gpt2Training NewModel(int worldSize)
    {
        var model = new Gpt2Training(Gpt2EngineRun.Config, Gpt2EngineRun.GlobalBatch / worldSize, Gpt2EngineRun.Seed);
        ModelRegistry<Gpt2Training>.Register(model, model.Definition);
        return model;
    }

    internal static Gpt2Training ModelOf(ModelDefinition definition) => ModelRegistry<Gpt2Training>.Of(definition);
}
