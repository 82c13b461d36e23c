using System.Diagnostics;

namespace Elixir.Runtime.Tests.Cli;

/// <summary>Starts the built <c>elixir</c> command as a child process (its apphost, or <c>dotnet elixir.dll</c>).</summary>
internal static class ElixirProcess
{
    public static Process Start(IEnumerable<string> arguments) => Start(Command().Concat(arguments), environment: null);

    /// <summary>The program and leading arguments that run <c>elixir</c>.</summary>
    public static string[] Command()
    {
        string apphost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "elixir.exe" : "elixir");
        return File.Exists(apphost)
            ? [apphost]
            : [Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", Path.Combine(AppContext.BaseDirectory, "elixir.dll")];
    }

    /// <summary>Starts <paramref name="commandLine"/> (program first) with extra <paramref name="environment"/> variables, output drained.</summary>
    public static Process Start(IEnumerable<string> commandLine, IReadOnlyDictionary<string, string>? environment)
    {
        string[] all = [.. commandLine];
        var start = new ProcessStartInfo(all[0]);
        foreach (string argument in all.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
