using Elixir.Cli.Training;

namespace Elixir.Runtime.Tests.Cli;

public sealed class TrainingOutcomeTests
{
    private static TrainingOutcome Outcome(int applied, int skipped, double seconds, double firstStepSeconds, long tokens) =>
        new(0, new float[applied], skipped, 1f, TimeSpan.FromSeconds(seconds), tokens, null, null!, null!, TimeSpan.FromSeconds(firstStepSeconds));

    [Fact]
    public void The_steady_rate_leaves_out_the_first_steps_tokens_and_time()
    {
        // 4 steps of 100 tokens in 10 s, the first taking 4 s: 300 tokens in 6 s.
        Assert.Equal(50, Outcome(4, 0, 10, 4, 400).TokensPerSecondAfterFirstStep);
        Assert.Equal(40, Outcome(4, 0, 10, 4, 400).TokensPerSecond);

        // A skipped step still trained on its tokens.
        Assert.Equal(50, Outcome(3, 1, 10, 4, 400).TokensPerSecondAfterFirstStep);
    }

    [Fact]
    public void One_step_has_no_steady_rate() => Assert.Null(Outcome(1, 0, 2, 2, 100).TokensPerSecondAfterFirstStep);
}
