using Elixir.Runtime.Tests.Safetensors;
using Elixir.Safetensors;

namespace Elixir.Runtime.Tests.Cli;

/// <summary>Sizes that overflow, degenerate parameter lists, a corpus that is not text and an unusable checkpoint directory: one line each, never a raw exception.</summary>
public sealed class CliFaultTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("--channels", "1048576")]
    [InlineData("--layers", "100000")]
    public void HugeModelSizes_AreUsageErrors(string option, string value)
    {
        var (code, output, error) = CliRunner.Run("train", "--steps", "1", option, value);

        Assert.True(code == 2, $"exit {code}: {error}");
        AssertOneCleanLine(output, error);
    }

    [Theory]
    [InlineData("""[{"name": "a", "shape": [4294967296, 4294967296, 4]}]""")]
    [InlineData("""[]""")]
    [InlineData("""[{"name": "a", "shape": [2]}, {"name": "a", "shape": [3]}]""")]
    public void DegenerateParameterLists_AreOneLineWithoutParameterNames(string json)
    {
        string path = _dir.File("params.json");
        File.WriteAllText(path, json);

        var (code, output, error) = CliRunner.Run("plan", "--params", path);

        Assert.True(code is 2 or 3, $"exit {code}: {error}");
        AssertOneCleanLine(output, error);
    }

    [Fact]
    public void AZeroSizeTensor_IsOneLineWithoutParameterNames()
    {
        string path = _dir.File("zero.safetensors");
        SafetensorsWriter.Write(path, [new SafetensorsTensor("w", "F32", [0, 4], ReadOnlyMemory<byte>.Empty)]);

        var (code, output, error) = CliRunner.Run("plan", "--safetensors", path);

        Assert.True(code is 2 or 3, $"exit {code}: {error}");
        AssertOneCleanLine(output, error);
        Assert.Contains("'w'", error);
    }

    [Fact]
    public void ABinaryCorpus_IsRefused()
    {
        string path = _dir.File("binary.bin");
        var bytes = new byte[4096];
        new Random(5).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        CliRunner.AssertFails(3, $"--corpus {path}: is not ", "train", "--corpus", path);
    }

    [Fact]
    public void ACorpusWithNulCharacters_IsRefused()
    {
        string path = _dir.File("nul.txt");
        File.WriteAllText(path, new string('a', 100) + "\0" + new string('b', 100));

        CliRunner.AssertFails(3, $"--corpus {path}: is not text (control character U+0000 at character 100).", "train", "--corpus", path);
    }

    [Fact]
    public void AnUnusableCheckpointDirectory_FailsBeforeTheFirstStep()
    {
        string file = _dir.File("occupied");
        File.WriteAllText(file, "x");
        string directory = Path.Combine(file, "checkpoints");

        // AssertFails checks that nothing reached the output: the run did not start.
        CliRunner.AssertFails(3, $"Checkpoint directory '{directory}' is not writable", "train", "--steps", "1000", "--checkpoint-dir", directory);
    }

    private static void AssertOneCleanLine(string output, string error)
    {
        Assert.Equal("", output);
        Assert.StartsWith("elixir: ", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("(Parameter '", error);
        Assert.DoesNotContain("Exception", error);
        Assert.DoesNotContain(" at Elixir.", error);
    }
}
