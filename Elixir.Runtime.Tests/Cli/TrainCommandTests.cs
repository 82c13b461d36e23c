using System.Runtime.InteropServices;
using Elixir.Runtime.Tests.Safetensors;
using Elixir.Safetensors;

namespace Elixir.Runtime.Tests.Cli;

public sealed class TrainCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Succeeds(params string[] args)
    {
        var (code, output, error) = CliRunner.Run(["train", .. args]);
        Assert.True(code == 0, $"exit code {code}: {error}");
        Assert.Equal("", error);
        return output;
    }

    [Fact]
    public void TwentyStepsOnTwoRanks_LowerTheLoss_AndMatchOneRank()
    {
        string output = Succeeds("--ranks", "2", "--steps", "20", "--log-every", "1", "--verify");

        Assert.Equal(Enumerable.Range(1, 20), TrainOutput.LoggedSteps(output));
        var losses = TrainOutput.LoggedLosses(output);
        double first = losses.Take(5).Average();
        double last = losses.TakeLast(5).Average();
        Assert.True(last < 0.9 * first, $"mean loss of the first 5 steps {first}, of the last 5 {last}");
        Assert.Equal(losses[^1], TrainOutput.FinalLoss(output), 4);
        Assert.Contains("mem/rank ", output);
        Assert.DoesNotContain("loss scale", output);

        // The one rank plays both ranks in turn and sums their gradients in rank order, as the host reduce does:
        // in fp32 the parameters agree bit for bit.
        Assert.Equal(0, TrainOutput.VerifyDifference(output));
    }

    [Fact]
    public void VerifyOnFourRanksWithPrefetchAndOffload_MatchesOneRankBitForBit()
    {
        string output = Succeeds("--ranks", "4", "--steps", "8", "--prefetch", "--offload", "--verify", "--channels", "32", "--heads", "2", "--layers", "1");
        Assert.Equal(0, TrainOutput.VerifyDifference(output));
    }

    [Fact]
    public void VerifyInFp32OnTheHost_StatesTheToleranceZero()
    {
        string output = Succeeds("--ranks", "2", "--steps", "3", "--verify", "--channels", "16", "--heads", "2", "--layers", "1");

        Assert.Contains("parameters compared); tolerance 0: within", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Bf16VerifyAboveItsStatedTolerance_ExitsSevenNamingDifferenceAndTolerance()
    {
        // bf16 reductions round differently on 2 ranks and on 1, so after a few steps the parameters differ by more than 0.
        var (code, output, error) = CliRunner.Run(["train", "--ranks", "2", "--steps", "10", "--dtype", "bf16", "--verify", "--verify-tolerance", "0",
            "--channels", "16", "--heads", "2", "--layers", "1"]);

        Assert.Equal(7, code);
        Assert.Matches(@"tolerance 0: EXCEEDED", output);
        Assert.Matches(@"^elixir: --verify: the largest parameter difference, [0-9.eE+-]+ in transformer\.[A-Za-z0-9.]+, exceeds the tolerance 0\.\r?\n?$", error);
        Assert.True(TrainOutput.VerifyDifference(output) > 0);
    }

    [Fact]
    public void Bf16VerifyWithTheDefaultTolerance_PassesAndStatesIt()
    {
        // Default for 16-bit parameters: 10 % of lr × steps = 0.1 × 3e-3 × 10.
        string output = Succeeds("--ranks", "2", "--steps", "10", "--dtype", "bf16", "--verify", "--channels", "16", "--heads", "2", "--layers", "1");

        Assert.Contains("tolerance 0.003: within", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Fp16_ScalesTheLoss()
    {
        string output = Succeeds("--dtype", "fp16", "--steps", "6", "--log-every", "3", "--channels", "32", "--heads", "2", "--layers", "1");

        Assert.Contains("fp16", output);
        Assert.Equal([3, 6], TrainOutput.LoggedSteps(output));
        Assert.Matches(@"loss scale \d+", output);
        Assert.Matches(@"done: 6 steps .*; loss scale \d+", output);
        Assert.All(TrainOutput.LoggedLosses(output), loss => Assert.True(double.IsFinite(loss) && loss > 0));
    }

    [Fact]
    public void Bf16OffloadPrefetchAndAccumulation_Run()
    {
        string output = Succeeds("--dtype", "bf16", "--offload", "--prefetch", "--accumulation", "2", "--ranks", "2", "--batch", "8",
            "--steps", "4", "--log-every", "2", "--channels", "32", "--heads", "2", "--layers", "1");

        Assert.Contains("bf16, offload, prefetch, batch 8 (2 per rank × 2 micro-batches)", output);
        Assert.Equal([2, 4], TrainOutput.LoggedSteps(output));
        Assert.DoesNotContain("loss scale", output);
    }

    [Fact]
    public void ResumingOnAnotherRankCount_ContinuesTheSameRun()
    {
        string[] tiny = ["--channels", "32", "--heads", "2", "--layers", "1", "--log-every", "2"];
        string uninterrupted = Succeeds(["--ranks", "2", "--steps", "8", .. tiny]);

        string first = Succeeds(["--ranks", "2", "--steps", "4", "--checkpoint-dir", _dir.Path, .. tiny]);
        Assert.True(File.Exists(_dir.File("gpt2-char.safetensors.index.json")), first);
        string resumed = Succeeds(["--ranks", "1", "--steps", "8", "--checkpoint-dir", _dir.Path, "--resume", "--consolidated", .. tiny]);

        Assert.Contains("steps 5..8", resumed);
        Assert.Equal([6, 8], TrainOutput.LoggedSteps(resumed));
        Assert.Equal(TrainOutput.FinalLoss(uninterrupted), TrainOutput.FinalLoss(resumed), 3);
        Assert.True(File.Exists(_dir.File("gpt2-char.safetensors")));
        Assert.False(File.Exists(_dir.File("gpt2-char.safetensors.index.json")), "the sharded checkpoint is stale once the consolidated one is saved");
    }

    [Fact]
    public void ZeroSteps_SavesTheInitialWeights_AndAResumeFromThemContinuesTheSameRun()
    {
        string[] tiny = ["--channels", "32", "--heads", "2", "--layers", "1", "--log-every", "2"];
        string uninterrupted = Succeeds(["--steps", "4", .. tiny]);

        string initial = Succeeds(["--steps", "0", "--checkpoint-dir", _dir.Path, "--consolidated", .. tiny]);
        Assert.Contains("done: nothing to train, already at step 0 of 0", initial);
        string file = _dir.File("gpt2-char.safetensors");
        using (var checkpoint = SafetensorsFile.Open(file))
        {
            Assert.Equal("0", checkpoint.Header.Metadata["elixir.step"]);

            // GPT-2 starts every LayerNorm (two per block and the final one) at weight 1 and bias 0.
            var norms = checkpoint.Header.Tensors
                .Where(t => !t.Name.StartsWith("optimizer.", StringComparison.Ordinal) && t.Name.Contains("ln", StringComparison.OrdinalIgnoreCase))
                .ToArray();
            Assert.Equal(6, norms.Length);
            foreach (var norm in norms)
            {
                var values = new float[32];
                checkpoint.ReadTensor(norm, MemoryMarshal.AsBytes(values.AsSpan()));
                float expected = norm.Name.EndsWith("weight", StringComparison.OrdinalIgnoreCase) ? 1f : 0f;
                Assert.All(values, v => Assert.Equal(expected, v));
            }
        }

        string resumed = Succeeds(["--steps", "4", "--checkpoint-dir", _dir.Path, "--resume", "--consolidated", .. tiny]);
        Assert.Contains("steps 1..4", resumed);
        Assert.Equal(TrainOutput.FinalLoss(uninterrupted), TrainOutput.FinalLoss(resumed), 4);
    }

    [Fact]
    public void ACorpusFile_IsTrainedOn()
    {
        string corpus = _dir.File("corpus.txt");
        File.WriteAllText(corpus, string.Concat(Enumerable.Repeat("abcab cabca bcabc. ", 50)));
        string output = Succeeds("--corpus", corpus, "--steps", "2", "--channels", "16", "--heads", "2", "--layers", "1", "--sequence-length", "8");

        Assert.Contains($"V=5 T=8 C=16 L=1 H=2", output);
        Assert.Contains($"corpus: {corpus}", output);
    }
}
