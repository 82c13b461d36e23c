using System.Diagnostics;

namespace Elixir.Generators.Tests.Packaging;

/// <summary>Runs a command to completion and captures what it writes.</summary>
internal static class ProcessRunner
{
    public static (int ExitCode, string Output, string Error) Run(
        string fileName, string directory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    /// <summary>Runs <c>dotnet</c> with build servers off (nothing outlives the test) and fails the test when it fails.</summary>
    public static string Dotnet(string directory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        string[] all = arguments[0] is "build" or "pack" or "run"
            ? [.. arguments, "-nodeReuse:false", "-p:UseSharedCompilation=false"]
            : arguments;
        var (code, output, error) = Run("dotnet", directory, environment, all);
        Assert.True(code == 0, $"dotnet {string.Join(' ', arguments)} failed ({code}):\n{output}\n{error}");
        return output;
    }
}
