using Elixir.Engine;
using Elixir.Runtime.Tests.Safetensors;
using Elixir.Safetensors;

namespace Elixir.Runtime.Tests.Engine;

public sealed class EngineLoadParametersTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void LoadParameters_FromAConsolidatedSave_SetsExactlyTheSavedParameters_AndKeepsTheStep(int worldSize)
    {
        using var directory = new TempDirectory();
        var saved = Run(2, (engine, model) =>
        {
            Gpt2EngineRun.Train(engine, model, 0, 3);
            engine.SaveCheckpoint(directory.Path, "ckpt", consolidated: true);
            return engine.GatherParameters();
        });
        var loaded = Run(worldSize, (engine, _) =>
        {
            engine.LoadParameters(Path.Combine(directory.Path, "ckpt.safetensors"));
            return (engine.StepCount, engine.GatherParameters());
        });

        Assert.All(loaded, l => Assert.Equal(0, l.StepCount));
        MlpEngineTests.AssertBitwiseEqual(saved[0], loaded[0].Item2);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void AMissingParameter_ThrowsOnEveryRank_AndChangesNothing(int worldSize)
    {
        using var directory = new TempDirectory();
        string file = Path.Combine(directory.Path, "partial.safetensors");
        Run(1, (engine, _) =>
        {
            engine.SaveCheckpoint(directory.Path, "ckpt", consolidated: true);
            return 0;
        });
        using (var source = SafetensorsFile.Open(Path.Combine(directory.Path, "ckpt.safetensors")))
        {
            var kept = source.Header.Tensors.Where(t => t.Name != "transformer.h.1.ln_2.weight").Select(t =>
            {
                var data = new byte[t.ByteLength];
                source.ReadTensor(t, data);
                return new SafetensorsTensor(t.Name, t.DType, t.Shape, data);
            }).ToList();
            SafetensorsWriter.Write(file, kept);
        }

        var results = Run(worldSize, (engine, model) =>
        {
            Gpt2EngineRun.Train(engine, model, 0, 1);
            var before = engine.GatherParameters();
            var error = Record.Exception(() => engine.LoadParameters(file));
            MlpEngineTests.AssertBitwiseEqual(before, engine.GatherParameters());
            return error;
        });

        Assert.All(results, e => Assert.Contains("tensor 'transformer.h.1.ln_2.weight': missing", e!.Message, StringComparison.Ordinal));
    }

    private static T[] Run<T>(int worldSize, Func<TrainingEngine, Elixir.Samples.Training.Gpt2Training, T> body) =>
        EngineRanks.Run(worldSize, () => Gpt2EngineTests.NewModel(worldSize).Definition, Gpt2EngineRun.Options, Gpt2EngineRun.SmallChunks,
            (engine, definition) => body(engine, Gpt2EngineTests.ModelOf(definition)));
}
