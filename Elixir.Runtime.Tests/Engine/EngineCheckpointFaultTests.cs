using Elixir.Engine;
using Elixir.Runtime.Tests.Safetensors;
using Elixir.Safetensors;

namespace Elixir.Runtime.Tests.Engine;

/// <summary>Checkpoint loads that fail on one rank: the cause reaches every rank, and nothing changes anywhere.</summary>
public sealed class EngineCheckpointFaultTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void NaNInOneRanksFile_IsCorruptWeights_ReportedWithItsCauseOnEveryRank(int worldSize)
    {
        using var directory = new TempDirectory();
        var before = Run(worldSize, (engine, model) =>
        {
            Gpt2EngineRun.Train(engine, model, 0, 1);
            engine.SaveCheckpoint(directory.Path, "ckpt", consolidated: false);
            return engine.GatherParameters();
        });
        int last = worldSize - 1;
        string file = Path.Combine(directory.Path, Elixir.Checkpoints.ShardedCheckpoint.RankFileName("ckpt", last, worldSize));
        PoisonFirstTensor(file);

        var outcomes = Run(worldSize, (engine, model) =>
        {
            Gpt2EngineRun.Train(engine, model, 0, 1);
            var error = Record.Exception(() => engine.LoadCheckpoint(directory.Path, "ckpt"));
            return (error, engine.StepCount, engine.GatherParameters());
        });

        for (int rank = 0; rank < worldSize; rank++)
        {
            var (error, step, parameters) = outcomes[rank];
            Assert.NotNull(error);
            Assert.Contains("the checkpoint's weights are corrupt", error.Message);
            Assert.Contains("holds NaN at element", error.Message);
            if (rank != last)
            {
                Assert.StartsWith($"Rank {rank}: rank {last} failed to load the checkpoint: CheckpointFormatException: ", error.Message);
            }

            Assert.Equal(1, step);
            MlpEngineTests.AssertBitwiseEqual(before[0], parameters);
        }
    }

    /// <summary>Writes a NaN over the first element of the first tensor of <paramref name="path"/>.</summary>
    private static void PoisonFirstTensor(string path)
    {
        long offset;
        using (var file = SafetensorsFile.Open(path))
        {
            offset = file.Header.DataOffset + file.Header.Tensors.OrderBy(t => t.DataStart).First(t => t.Name.StartsWith("optimizer.", StringComparison.Ordinal) is false).DataStart;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.Position = offset;
        stream.Write(BitConverter.GetBytes(float.NaN));
    }

    private static T[] Run<T>(int worldSize, Func<TrainingEngine, Elixir.Samples.Training.Gpt2Training, T> body) =>
        EngineRanks.Run(worldSize, () => Gpt2EngineTests.NewModel(worldSize).Definition, Gpt2EngineRun.Options, Gpt2EngineRun.SmallChunks,
            (engine, definition) => body(engine, Gpt2EngineTests.ModelOf(definition)));
}
