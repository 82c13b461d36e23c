using Elixir.Memory;
using Elixir.Numerics;
using Elixir.Optim;
using Elixir.Runtime.Tests.Cuda;

namespace Elixir.Runtime.Tests.Engine;

/// <summary>
/// With offload the optimizer runs on the host, so it refreshes the 16-bit host shards itself: gathers then move
/// 16-bit shards over PCIe instead of casting the fp32 master (twice the bytes).
/// </summary>
public sealed class OffloadRefreshTests
{
    [Theory]
    [InlineData(1, DType.Float16)]
    [InlineData(2, DType.BFloat16)]
    [InlineData(4, DType.Float16)]
    public void After_each_step_offloaded_shards_hold_their_rounded_master_and_are_current(int worldSize, DType type)
    {
        var options = Gpt2EngineRun.Options with
        {
            Offload = true,
            ParameterType = type,
            LossScaling = type == DType.Float16 ? new LossScalerOptions(InitialScale: 256f) : null,
        };
        EngineRanks.Run(worldSize, () => Gpt2EngineTests.NewModel(worldSize).Definition, options, Gpt2EngineRun.SmallChunks,
            (engine, definition) =>
            {
                var model = Gpt2EngineTests.ModelOf(definition);
                for (int step = 0; step < 2; step++)
                {
                    Gpt2EngineRun.Train(engine, model, step, 1);
                    foreach (var chunk in engine.Chunks)
                    {
                        Assert.Equal(MemoryLocation.Host, chunk.ShardLocation);
                        Assert.True(chunk.OptimizerSynced, $"chunk #{chunk.Id} is stale after step {step + 1}: its next gather would read the fp32 master.");
                        float[] master = chunk.Paired!.ShardPayload.AsSpan<float>().ToArray();
                        ushort[] expected = [.. master.Select(value => type == DType.Float16
                            ? BitConverter.HalfToUInt16Bits((Half)value)
                            : ReferenceRounding.ToBFloat16Bits(value))];
                        Assert.Equal(expected, chunk.ShardPayload.AsSpan<ushort>().ToArray());
                    }
                }

                return 0;
            });
    }
}
