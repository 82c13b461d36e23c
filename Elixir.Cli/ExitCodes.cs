namespace Elixir.Cli;

/// <summary>The process exit codes of the <c>elixir</c> command.</summary>
internal static class ExitCodes
{
    /// <summary>The command did its job.</summary>
    public const int Success = 0;

    /// <summary>An unexpected failure.</summary>
    public const int Failure = 1;

    /// <summary>Bad command-line arguments.</summary>
    public const int Usage = 2;

    /// <summary>An input file is missing, unreadable or malformed.</summary>
    public const int BadInput = 3;

    /// <summary>The memory budget cannot hold the plan.</summary>
    public const int BudgetNotMet = 4;

    /// <summary><c>--device cuda</c> on a machine where no CUDA device (or too few) can be used.</summary>
    public const int NoDevice = 5;

    /// <summary>A process started by <c>elixir launch</c> failed; the others were ended.</summary>
    public const int LaunchedProcessFailed = 6;

    /// <summary><c>--verify</c> found a parameter difference above its tolerance.</summary>
    public const int VerifyFailed = 7;
}
