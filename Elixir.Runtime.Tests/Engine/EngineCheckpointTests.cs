using Elixir.Engine;
using Elixir.Runtime.Tests.Safetensors;
using Elixir.Safetensors;

namespace Elixir.Runtime.Tests.Engine;

public sealed class EngineCheckpointTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(4, false)]
    [InlineData(2, true)]
    public void TrainSaveLoadTrain_EqualsTrainingWithoutStopping(int worldSize, bool consolidated)
    {
        using var directory = new TempDirectory();
        var straight = Run(worldSize, (engine, model) =>
        {
            Gpt2EngineRun.Train(engine, model, 0, 5);
            return engine.GatherParameters();
        });
        Run(worldSize, (engine, model) =>
        {
            Gpt2EngineRun.Train(engine, model, 0, 3);
            engine.SaveCheckpoint(directory.Path, "ckpt", consolidated);
            return 0;
        });
        var resumed = Run(worldSize, (engine, model) =>
        {
            engine.LoadCheckpoint(directory.Path, "ckpt");
            Assert.Equal(3, engine.StepCount);
            Gpt2EngineRun.Train(engine, model, 3, 2);
            return engine.GatherParameters();
        });

        MlpEngineTests.AssertBitwiseEqual(straight[0], resumed[0]);
    }

    [Theory]
    [InlineData(4, 2)]
    [InlineData(2, 4)]
    [InlineData(4, 1)]
    public void ShardedCheckpoint_SavedOnNRanks_LoadsOnMRanksWithIdenticalParametersAndState(int saveRanks, int loadRanks)
    {
        using var directory = new TempDirectory();
        Run(saveRanks, (engine, model) =>
        {
            Gpt2EngineRun.Train(engine, model, 0, 2);
            engine.SaveCheckpoint(directory.Path, "sharded", consolidated: false);
            engine.SaveCheckpoint(directory.Path, "before", consolidated: true);
            return 0;
        });
        Run(loadRanks, (engine, _) =>
        {
            engine.LoadCheckpoint(directory.Path, "sharded");
            engine.SaveCheckpoint(directory.Path, "after", consolidated: true);
            return 0;
        });

        // The consolidated files hold every parameter and optimizer tensor whole: they must match byte for byte.
        using var before = SafetensorsFile.Open(Path.Combine(directory.Path, "before.safetensors"));
        using var after = SafetensorsFile.Open(Path.Combine(directory.Path, "after.safetensors"));
        Assert.Equal(before.Header.Tensors.Select(t => (t.Name, string.Join(",", t.Shape))), after.Header.Tensors.Select(t => (t.Name, string.Join(",", t.Shape))));
        Assert.Contains(before.Header.Tensors, t => t.Name == "optimizer.exp_avg_sq.transformer.h.1.mlp.c_fc.weight" && t.Shape.SequenceEqual([16L, 64L]));
        foreach (var tensor in before.Header.Tensors)
        {
            var expected = new byte[tensor.ByteLength];
            var actual = new byte[tensor.ByteLength];
            before.ReadTensor(tensor, expected);
            after.ReadTensor(tensor.Name, actual);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{tensor.Name} differs after loading on {loadRanks} ranks");
        }

        Assert.Equal("2", after.Header.Metadata["elixir.step"]);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void ACorruptShardFile_FailsOnEveryRank_AndChangesNothing(int worldSize)
    {
        using var directory = new TempDirectory();
        Run(worldSize, (engine, model) =>
        {
            Gpt2EngineRun.Train(engine, model, 0, 1);
            engine.SaveCheckpoint(directory.Path, "ckpt", consolidated: false);
            return 0;
        });
        var victim = Path.Combine(directory.Path, "ckpt-00002-of-" + worldSize.ToString("D5") + ".safetensors");
        var bytes = File.ReadAllBytes(victim);
        File.WriteAllBytes(victim, bytes[..(bytes.Length - 16)]);

        var errors = Run(worldSize, (engine, model) =>
        {
            Gpt2EngineRun.Train(engine, model, 0, 2);
            var before = engine.GatherParameters();
            var error = Record.Exception(() => engine.LoadCheckpoint(directory.Path, "ckpt"));
            MlpEngineTests.AssertBitwiseEqual(before, engine.GatherParameters());
            Assert.Equal(2, engine.StepCount);
            return error;
        });

        Assert.All(errors, e => Assert.NotNull(e));
        Assert.Contains(errors, e => e!.Message.Contains("ckpt-00002", StringComparison.Ordinal));
    }

    [Fact]
    public void ASecondShardedSaveOnAnotherWorldSize_IsTheOneLoaded_AndBothFormatsTogetherAreAmbiguous()
    {
        using var directory = new TempDirectory();
        Run(4, (engine, model) =>
        {
            Gpt2EngineRun.Train(engine, model, 0, 1);
            engine.SaveCheckpoint(directory.Path, "ckpt", consolidated: false);
            return 0;
        });
        var saved = Run(2, (engine, model) =>
        {
            Gpt2EngineRun.Train(engine, model, 0, 2);
            engine.SaveCheckpoint(directory.Path, "ckpt", consolidated: false);
            return engine.GatherParameters();
        });

        // The 4-rank files are still there; the index names the 2-rank ones, and those are loaded.
        Assert.Equal(6, Directory.GetFiles(directory.Path, "ckpt-*.safetensors").Length);
        var loaded = Run(1, (engine, _) =>
        {
            engine.LoadCheckpoint(directory.Path, "ckpt");
            return (engine.StepCount, engine.GatherParameters());
        });
        Assert.Equal(2, loaded[0].StepCount);
        MlpEngineTests.AssertBitwiseEqual(saved[0], loaded[0].Item2);

        Run(1, (engine, _) =>
        {
            engine.SaveCheckpoint(directory.Path, "ckpt", consolidated: true);
            return 0;
        });
        var errors = Run(2, (engine, _) => Record.Exception(() => engine.LoadCheckpoint(directory.Path, "ckpt")));
        Assert.All(errors, e => Assert.Contains("both ckpt.safetensors and ckpt.safetensors.index.json exist", e!.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void AMissingCheckpoint_NamesWhatWasLookedFor()
    {
        using var directory = new TempDirectory();
        var errors = Run(2, (engine, _) => Record.Exception(() => engine.LoadCheckpoint(directory.Path, "nothing")));
        Assert.All(errors, e => Assert.Contains("nothing.safetensors.index.json", e!.Message, StringComparison.Ordinal));
    }

    private static T[] Run<T>(int worldSize, Func<TrainingEngine, Elixir.Samples.Training.Gpt2Training, T> body) =>
        EngineRanks.Run(worldSize, () => Gpt2EngineTests.NewModel(worldSize).Definition, Gpt2EngineRun.Options, Gpt2EngineRun.SmallChunks,
            (engine, definition) => body(engine, Gpt2EngineTests.ModelOf(definition)));
}
