using Elixir.Chunks;
using Elixir.Collectives.Host;
using Elixir.Engine;
using Elixir.Kernels.Host;
using Elixir.Memory;
using Elixir.Memory.Host;
using Elixir.Numerics;
using Elixir.Planning;
using Elixir.Runtime.Tests.Streams;

namespace Elixir.Runtime.Tests.Engine;

/// <summary>
/// Reducing a chunk queues its overflow check and sum of squares into the step's device buffer instead of waiting
/// for them; the optimizer step reads them all once.
/// </summary>
public sealed class DeferredReduceCheckTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void A_training_step_queues_the_reduce_checks_and_never_waits_for_one_chunk(int worldSize)
    {
        const int Steps = 2;
        var logs = LocalCluster.Run(worldSize, communicator =>
        {
            var log = new StreamLog();
            using var backend = new HostMemoryBackend();
            var model = Gpt2EngineTests.NewModel(worldSize);
            var plan = Planner.Create(model.Definition.PlanParameters(), Gpt2EngineRun.SmallChunks with { WorldSize = worldSize });
            int chunks;
            using (var engine = new TrainingEngine(model.Definition, communicator, backend, new StreamRecordingKernels(new HostKernels(), log), Gpt2EngineRun.Options, plan))
            {
                Gpt2EngineRun.Train(engine, model, 0, Steps);
                chunks = engine.Chunks.Count;
            }

            Assert.Equal(0, backend.LiveBuffers);
            return (log, chunks);
        }, new LocalClusterOptions { Checked = true, CollectiveTimeout = TimeSpan.FromSeconds(20) });

        foreach (var (log, chunks) in logs)
        {
            Assert.Empty(log.StreamsOf("has-non-finite"));
            Assert.Empty(log.StreamsOf("sum-of-squares"));
            Assert.Equal(Steps * chunks, log.StreamsOf("accumulate-non-finite").Length);
            Assert.Equal(Steps * chunks, log.StreamsOf("queue-sum-of-squares").Length);
        }
    }

    [Fact]
    public void Statistics_read_once_match_a_plain_loop_and_start_over_after_the_read()
    {
        using var backend = new HostMemoryBackend();
        using var statistics = new ReduceStatistics(backend, new HostKernels(), 3);
        using var data = backend.Allocate(5 * sizeof(float), MemoryLocation.Device);
        float[] values = [1.5f, -2f, 0.25f, 3f, -0.5f];
        values.CopyTo(data.All.AsSpan<float>());

        statistics.Queue(0, data.All, DType.Float32, squares: true, stream: null);
        statistics.Queue(2, data.Slice(0, 8), DType.Float32, squares: false, stream: null);
        data.All.AsSpan<float>()[4] = float.NaN;
        statistics.Queue(1, data.All, DType.Float32, squares: false, stream: null);
        statistics.Queue(1, data.Slice(0, 4), DType.Float32, squares: true, stream: null);
        statistics.Read();

        double expected = 0;
        foreach (float v in values)
        {
            expected += (double)v * v;
        }

        Assert.Equal((false, expected), (statistics.Overflow(0), statistics.SumOfSquares(0)));
        Assert.Equal((true, 1.5 * 1.5), (statistics.Overflow(1), statistics.SumOfSquares(1)));
        Assert.Equal((false, 0.0), (statistics.Overflow(2), statistics.SumOfSquares(2)));

        statistics.Read();
        Assert.All(Enumerable.Range(0, 3), slot => Assert.Equal((false, 0.0), (statistics.Overflow(slot), statistics.SumOfSquares(slot))));
    }
}
