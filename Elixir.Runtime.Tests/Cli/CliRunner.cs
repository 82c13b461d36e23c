using Elixir.Cli;

namespace Elixir.Runtime.Tests.Cli;

/// <summary>Runs the <c>elixir</c> command in-process and captures what it writes.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs <paramref name="args"/> and checks it fails with one line naming the problem, and no stack trace.</summary>
    public static void AssertFails(int expectedCode, string expectedMessage, params string[] args)
    {
        var (code, output, error) = Run(args);
        Assert.Equal(expectedCode, code);
        Assert.Equal("", output);
        Assert.StartsWith("elixir: ", error);
        Assert.Contains(expectedMessage, error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain(" at Elixir.", error);
    }
}
