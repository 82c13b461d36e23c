using System.Globalization;
using System.Text.RegularExpressions;

namespace Elixir.Runtime.Tests.Cli;

/// <summary>Reads the numbers out of <c>elixir train</c>'s output.</summary>
internal static partial class TrainOutput
{
    /// <summary>The loss of every progress line, in order.</summary>
    public static double[] LoggedLosses(string output) =>
        [.. StepLine().Matches(output).Select(m => Number(m.Groups["loss"].Value))];

    /// <summary>The step numbers of the progress lines, in order.</summary>
    public static int[] LoggedSteps(string output) =>
        [.. StepLine().Matches(output).Select(m => int.Parse(m.Groups["step"].Value, CultureInfo.InvariantCulture))];

    /// <summary>The summary's final loss.</summary>
    public static double FinalLoss(string output) => Number(Single(FinalLossPattern(), output));

    /// <summary>The largest parameter difference <c>--verify</c> reported.</summary>
    public static double VerifyDifference(string output) => Number(Single(VerifyPattern(), output));

    private static string Single(Regex pattern, string output)
    {
        var match = pattern.Match(output);
        Assert.True(match.Success, $"'{pattern}' not found in:\n{output}");
        return match.Groups[1].Value;
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^step\s+(?<step>\d+)\s+loss\s+(?<loss>[0-9.]+)\s", RegexOptions.Multiline)]
    private static partial Regex StepLine();

    [GeneratedRegex(@"final loss ([0-9.]+);")]
    private static partial Regex FinalLossPattern();

    [GeneratedRegex(@"^verify: largest parameter difference between \d+ ranks? and 1 rank: ([0-9.E+-]+) ", RegexOptions.Multiline)]
    private static partial Regex VerifyPattern();
}
