using System.CommandLine;
using System.Text.Json;
using Elixir.Cli.Commands;
using Elixir.Checkpoints;
using Elixir.Planning;
using Elixir.Safetensors;

namespace Elixir.Cli;

/// <summary>
/// The <c>elixir</c> command line: parses, runs one command, and turns every failure into one line on the
/// error writer and a nonzero exit code, never a stack trace.
/// </summary>
public static partial class CliApp
{
    /// <summary>Runs the command line <paramref name="args"/>, writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    /// <returns>The process exit code.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Elixir for .NET: chunk-based sharded training.")
        {
            PlanCommand.Create(),
            TrainCommand.Create(),
            LaunchCommand.Create(),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            error.WriteLine($"elixir: {OneLine(WithoutClrTypeNames(parsed.Errors[0].Message))} (see --help)");
            return ExitCodes.Usage;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            var (code, message) = Describe(e);
            error.WriteLine($"elixir: {OneLine(message)}");
            return code;
        }
    }

    /// <summary>
    /// The parser's "Cannot parse argument 'x' for option '--y' as expected type 'System.Nullable`1[System.Double]'"
    /// in the user's words: "... for option '--y': expected a number."
    /// </summary>
    internal static string WithoutClrTypeNames(string message) => ExpectedType().Replace(message, match =>
        ": expected " + match.Groups["type"].Value switch
        {
            "Double" or "Single" => "a number",
            "Int32" or "Int64" => "a whole number",
            "UInt32" or "UInt64" => "a whole number ≥ 0",
            var other => other.ToLowerInvariant(),
        } + ".");

    [System.Text.RegularExpressions.GeneratedRegex(@" as expected type '(?:System\.Nullable`1\[)?System\.(?<type>\w+)\]?'\.?")]
    private static partial System.Text.RegularExpressions.Regex ExpectedType();

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The message without the "(Parameter 'x')" that names a C# parameter the user never saw.</summary>
    private static string WithoutParameterName(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);

    private static (int Code, string Message) Describe(Exception e) => e switch
    {
        CliException cli => (cli.ExitCode, cli.Message),
        PlanBudgetException => (ExitCodes.BudgetNotMet, e.Message),
        SafetensorsFormatException or CheckpointFormatException or InvalidDataException or JsonException => (ExitCodes.BadInput, e.Message),
        FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException => (ExitCodes.BadInput, e.Message),
        ArgumentException argument => (ExitCodes.Usage, WithoutParameterName(argument)),
        FormatException => (ExitCodes.Usage, e.Message),
        OverflowException => (ExitCodes.Usage, $"the sizes asked for are too large: a count they make overflows ({e.Message.TrimEnd('.')}); choose smaller dimensions."),
        _ => (ExitCodes.Failure, $"{e.GetType().Name}: {e.Message}"),
    };
}
