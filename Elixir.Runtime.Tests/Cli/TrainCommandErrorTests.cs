using Elixir.Runtime.Tests.Safetensors;

namespace Elixir.Runtime.Tests.Cli;

public sealed class TrainCommandErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static void AssertFails(int expectedCode, string expectedMessage, params string[] args) =>
        CliRunner.AssertFails(expectedCode, expectedMessage, ["train", .. args]);

    [Theory]
    [InlineData("0", "--ranks must be positive, got 0")]
    [InlineData("-2", "--ranks must be positive, got -2")]
    [InlineData("two", "Cannot parse argument 'two' for option '--ranks'")]
    public void BadRanks_IsAUsageError(string value, string message) => AssertFails(2, message, "--ranks", value);

    [Fact]
    public void BatchNotDivisibleByRanks_IsAUsageError() =>
        AssertFails(2, "--batch 6 does not divide evenly over 4 ranks.", "--ranks", "4", "--batch", "6");

    [Fact]
    public void BatchNotDivisibleByRanksAndAccumulation_IsAUsageError() =>
        AssertFails(2, "--batch 8 does not divide evenly over 2 ranks × 3 accumulation steps.", "--ranks", "2", "--accumulation", "3", "--batch", "8");

    [Fact]
    public void UnknownDtype_IsAUsageError() => AssertFails(2, "'fp8' not recognized", "--dtype", "fp8");

    [Theory]
    [InlineData("--steps", "-1", "--steps must be ≥ 0 (0 saves the initial weights), got -1")]
    [InlineData("--lr", "-1", "--lr must be positive and finite, got -1")]
    [InlineData("--clip", "-0.5", "--clip must be finite and ≥ 0")]
    [InlineData("--heads", "3", "--heads 3 does not divide --channels 64")]
    public void BadNumbers_AreUsageErrors(string option, string value, string message) => AssertFails(2, message, option, value);

    [Fact]
    public void ResumeWithoutCheckpointDirectory_IsAUsageError() => AssertFails(2, "--resume needs --checkpoint-dir.", "--resume");

    [Theory]
    [InlineData("-1", "--verify-tolerance must be finite and ≥ 0, got -1.")]
    [InlineData("NaN", "--verify-tolerance must be finite and ≥ 0, got NaN.")]
    public void BadVerifyTolerance_IsAUsageError(string value, string message) => AssertFails(2, message, "--verify", "--verify-tolerance", value);

    // The parser's own message names CLR types ("System.Nullable`1[System.Double]"); users get words.
    [Theory]
    [InlineData("--lr", "x", "Cannot parse argument 'x' for option '--lr': expected a number. (see --help)")]
    [InlineData("--verify-tolerance", "abc", "Cannot parse argument 'abc' for option '--verify-tolerance': expected a number. (see --help)")]
    [InlineData("--seed", "-1", "Cannot parse argument '-1' for option '--seed': expected a whole number ≥ 0. (see --help)")]
    [InlineData("--chunk-size", "q", "Cannot parse argument 'q' for option '--chunk-size': expected a whole number. (see --help)")]
    public void UnparsableNumbers_AreNamedInWordsNotClrTypes(string option, string value, string message)
    {
        var (code, _, error) = CliRunner.Run(["train", "--verify", option, value]);

        Assert.Equal(2, code);
        Assert.Equal($"elixir: {message}", error.TrimEnd());
    }

    [Fact]
    public void VerifyToleranceWithoutVerify_IsAUsageError() => AssertFails(2, "--verify-tolerance needs --verify.", "--verify-tolerance", "0.1");

    [Fact]
    public void MissingCorpusFile_IsAnInputError()
    {
        string path = _dir.File("missing.txt");
        AssertFails(3, $"--corpus {path}: cannot read the corpus: no such file.", "--corpus", path);
    }

    [Fact]
    public void TooShortCorpus_IsAnInputError()
    {
        string path = _dir.File("short.txt");
        File.WriteAllText(path, "hello");
        AssertFails(3, $"--corpus {path}: holds 5 characters; sequences of 32 need at least 34.", "--corpus", path);
    }

    [Fact]
    public void MissingCheckpoint_IsAnInputError() =>
        AssertFails(3, "No checkpoint 'gpt2-char' in", "--resume", "--checkpoint-dir", _dir.File("none"));

    [Fact]
    public void CorruptCheckpoint_IsAnInputError()
    {
        File.WriteAllText(_dir.File("gpt2-char.safetensors"), "not a safetensors file");
        AssertFails(3, _dir.File("gpt2-char.safetensors"), "--resume", "--checkpoint-dir", _dir.Path, "--channels", "16", "--heads", "2", "--layers", "1");
    }

    [Fact]
    public void CheckpointOfAnotherModel_IsAnInputError()
    {
        var (code, _, error) = CliRunner.Run("train", "--steps", "1", "--checkpoint-dir", _dir.Path, "--channels", "16", "--heads", "2", "--layers", "1");
        Assert.True(code == 0, error);
        AssertFails(3, "gpt2-char", "--resume", "--checkpoint-dir", _dir.Path, "--channels", "32", "--heads", "2", "--layers", "1");
    }
}
