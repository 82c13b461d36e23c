namespace Elixir.Cli.Launch;

/// <summary>The first child of a launch that failed: its rank, its exit code and the last line it wrote to stderr.</summary>
internal sealed record LaunchFailure(int Rank, int LocalRank, int ExitCode, string? LastErrorLine)
{
    internal string Describe() =>
        $"rank {Rank} (local rank {LocalRank}) exited with code {ExitCode}"
        + (string.IsNullOrEmpty(LastErrorLine) ? "; the other processes were ended." : $": {LastErrorLine} (the other processes were ended)");
}
