using Elixir.Engine;
using Elixir.Numerics;
using Elixir.Optim;
using Elixir.Samples.Data;
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

    [Theory]
    [InlineData(2, DType.Float32)]
    [InlineData(4, DType.Float16)]
    public void ATrainingStepWithPrefetchOffloadAndStagedViews_AllocatesNothingAfterWarmUp(int worldSize, DType type)
    {
        var options = Gpt2EngineRun.Options with
        {
            Prefetch = true,
            Offload = true,
            ParameterType = type,
            LossScaling = type == DType.Float16 ? new LossScalerOptions(InitialScale: 256f) : null,
            MaxGradientNorm = 1f,
            AccumulationSteps = 2,
        };
        var allocated = EngineRanks.Run(worldSize, () => NewModel(worldSize).Definition, options, Gpt2EngineRun.SmallChunks,
            (engine, definition) =>
            {
                var model = ModelOf(definition);
                var sampler = new CharBatchSampler(Gpt2EngineRun.Tokens, Gpt2EngineRun.Config.SequenceLength, Gpt2EngineRun.GlobalBatch, Gpt2EngineRun.Seed);
                var inputs = new int[Gpt2EngineRun.GlobalBatch / worldSize * Gpt2EngineRun.Config.SequenceLength];
                var targets = new int[inputs.Length];
                long before = 0;
                for (int step = 0; step < 6; step++)
                {
                    if (step == 3)
                    {
                        before = GC.GetAllocatedBytesForCurrentThread();
                    }

                    for (int micro = 0; micro < 2; micro++)
                    {
                        sampler.Fill(2 * step + micro, engine.Communicator.Rank, worldSize, inputs, targets);
                        model.Pass(engine, inputs, targets);
                    }

                    engine.Step();
                }

                return GC.GetAllocatedBytesForCurrentThread() - before;
            });
        Assert.All(allocated, bytes => Assert.Equal(0, bytes));
    }

    internal static Gpt2Training NewModel(int worldSize)
    {
        var model = new Gpt2Training(Gpt2EngineRun.Config, Gpt2EngineRun.GlobalBatch / worldSize, Gpt2EngineRun.Seed);
        ModelRegistry<Gpt2Training>.Register(model, model.Definition);
        return model;
    }

    internal static Gpt2Training ModelOf(ModelDefinition definition) => ModelRegistry<Gpt2Training>.Of(definition);
}
