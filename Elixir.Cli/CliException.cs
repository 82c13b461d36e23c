namespace Elixir.Cli;

/// <summary>A failure the command reports as one line with its own exit code.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    /// <summary>The process exit code.</summary>
    public int ExitCode { get; } = exitCode;
}
