using Elixir.Cuda;
using Elixir.Runtime.Tests.Cuda;

namespace Elixir.Runtime.Tests.Cli;

/// <summary>
/// <c>elixir train --device cuda</c> end to end. Tolerances: fp32 on one GPU against the same run on the host, each
/// logged loss within 1e-3 (the GPU sums in other orders; 50 AdamW steps amplify that little); <c>--verify</c>
/// (N ranks against 1 on the GPU) within 1e-4 of a parameter.
/// </summary>
[Trait("Category", GpuRequirement.Category)]
public sealed class TrainCommandGpuTests
{
    [Fact]
    public void Fifty_steps_on_one_gpu_log_the_losses_of_the_host_run()
    {
        GpuRequirement.Nccl(1);
        Assert.SkipUnless(CublasContext.IsAvailable, CublasContext.Describe());
        string[] common = ["train", "--ranks", "1", "--steps", "50", "--log-every", "10", "--batch", "8"];

        var host = CliRunner.Run([.. common, "--device", "host"]);
        var gpu = CliRunner.Run([.. common, "--device", "cuda"]);

        Assert.True(gpu.ExitCode == 0, gpu.Error);
        double[] expected = TrainOutput.LoggedLosses(host.Output), actual = TrainOutput.LoggedLosses(gpu.Output);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-3, $"Logged loss {i}: {actual[i]} on the GPU, {expected[i]} on the host.");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Verify_on_gpus_compares_n_ranks_with_one(int ranks)
    {
        GpuRequirement.Nccl(ranks);
        Assert.SkipUnless(CublasContext.IsAvailable, CublasContext.Describe());

        var (code, output, error) = CliRunner.Run("train", "--device", "cuda", "--ranks", $"{ranks}", "--steps", "5", "--batch", "8", "--verify");

        Assert.True(code == 0, error);
        Assert.True(TrainOutput.VerifyDifference(output) <= 1e-4, output);
    }
}
