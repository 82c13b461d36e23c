using System.Text.Json;

namespace Elixir.Runtime.Tests.Cli;

/// <summary>plan and train report the same memory for the same sample model and options; train keeps a device budget.</summary>
public sealed class MemoryCommandTests
{
    private static readonly string[] s_model = ["--channels", "16", "--layers", "2", "--heads", "2", "--sequence-length", "8", "--batch", "4"];

    [Theory]
    [InlineData("fp32", false)]
    [InlineData("bf16", true)]
    public void PlanAndTrain_OfTheSameSample_PlanTheSameBytes_AndTrainMeasuresNoMore(string dtype, bool offload)
    {
        string[] shared = [.. s_model, "--dtype", dtype, "--chunk-size", "1024", .. offload ? (string[])["--offload"] : []];
        var (planCode, planOutput, planError) = CliRunner.Run(["plan", "--sample", "gpt2-char", "--world-size", "2", "--json", .. shared]);
        var (trainCode, trainOutput, trainError) = CliRunner.Run(["train", "--ranks", "2", "--steps", "2", "--log-every", "1", "--json", .. shared]);
        Assert.Equal("", planError);
        Assert.Equal(0, planCode);
        Assert.Equal(0, trainCode);

        var planned = JsonDocument.Parse(planOutput).RootElement.GetProperty("memory");
        var trained = JsonDocument.Parse(trainOutput).RootElement;
        var memory = trained.GetProperty("memory");
        Assert.Equal(2, trained.GetProperty("steps").GetInt32());
        Assert.True(trained.GetProperty("finalLoss").GetDouble() > 0);
        Assert.True(trained.GetProperty("tokensPerSecond").GetDouble() > 0);
        Assert.True(trained.GetProperty("tokensPerSecondAfterFirstStep").GetDouble() > 0);
        foreach (string location in (string[])["device", "host"])
        {
            long plannedBytes = planned.GetProperty("planned").GetProperty(location).GetInt64();
            Assert.Equal(plannedBytes, memory.GetProperty("planned").GetProperty(location).GetInt64());
            Assert.Equal(planned.GetProperty("plannedByCategory").GetProperty(location).ToString(),
                memory.GetProperty("plannedByCategory").GetProperty(location).ToString());
            Assert.InRange(memory.GetProperty("peak").GetProperty(location).GetInt64(), 0, plannedBytes);
        }

        // Progress goes to standard error in JSON mode, ending with planned against measured peaks.
        Assert.Contains("step     2", trainError);
        Assert.Contains("device (working)", trainError);
        Assert.Contains("host (offloaded)", trainError);
        Assert.Matches(@"planned peak \d+ B device \(working\) \+ \d+ B host \(offloaded\); measured peak \d+ B \+ \d+ B", trainError);
    }

    [Fact]
    public void PlanTableOfTheSample_ShowsEveryCategoryAndThePeaks()
    {
        var (code, output, error) = CliRunner.Run(["plan", "--sample", "gpt2-char", "--world-size", "2", .. s_model]);
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("sample gpt2-char", output);
        foreach (string row in (string[])["parameter shards", "master + optimizer state", "gradients", "rCache", "staging/scratch",
            "communication", "construction peak", "checkpoint-save peak", "planned peak", "model working memory"])
        {
            Assert.Contains(row, output);
        }
    }

    [Fact]
    public void TrainUnderABudgetTooSmallEvenWithOffload_FailsBeforeStep1_WithExitCode4AndTheShortfallPerCategory()
    {
        var (code, output, error) = CliRunner.Run(["train", "--ranks", "2", "--steps", "2", "--offload", "--chunk-size", "1024", "--device-memory", "4KiB", .. s_model]);
        Assert.Equal(4, code);
        Assert.Equal("", output);
        Assert.StartsWith("elixir: Device memory budget of 4096 bytes", error);
        Assert.Contains("bytes short", error);
        Assert.Contains("rCache ", error);
        Assert.Contains("model working memory ", error);
        Assert.DoesNotContain(" at Elixir.", error);
    }

    [Fact]
    public void TrainUnderABudgetThatFitsWithOffload_Trains()
    {
        string[] options = ["--offload", "--chunk-size", "1024", .. s_model];
        var (_, planOutput, _) = CliRunner.Run(["plan", "--sample", "gpt2-char", "--world-size", "2", "--json", .. options]);
        var planned = JsonDocument.Parse(planOutput).RootElement.GetProperty("memory");
        long budget = planned.GetProperty("planned").GetProperty("device").GetInt64() + planned.GetProperty("workingMemory").GetInt64();
        var (code, output, error) = CliRunner.Run(["train", "--ranks", "2", "--steps", "2", "--json", "--device-memory", budget.ToString(System.Globalization.CultureInfo.InvariantCulture), .. options]);
        Assert.Equal(0, code);
        Assert.InRange(JsonDocument.Parse(output).RootElement.GetProperty("memory").GetProperty("peak").GetProperty("device").GetInt64(), 1, budget);
        Assert.Contains($"device budget {budget} bytes per rank", error);
    }

    [Fact]
    public void BadMemorySizes_AreUsageErrors()
    {
        CliRunner.AssertFails(2, "--device-memory: 'lots' is not a memory size", "train", "--device-memory", "lots");
        CliRunner.AssertFails(2, "--chunk-size must be positive, got 0", "train", "--chunk-size", "0");
        CliRunner.AssertFails(2, "--chunk-size must be positive, got -1", "plan", "--sample", "gpt2-char", "--chunk-size", "-1");
        CliRunner.AssertFails(2, "plan needs exactly one of --preset, --safetensors or --params (2 given) or --sample gpt2-char",
            "plan", "--sample", "gpt2-char", "--preset", "gpt2");
    }
}
