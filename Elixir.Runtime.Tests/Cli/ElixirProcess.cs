using System.Diagnostics;

namespace Elixir.Runtime.Tests.Cli;

/// <summary>Starts the built <c>elixir</c> command as a child process (its apphost, or <c>dotnet elixir.dll</c>).</summary>
internal static class ElixirProcess
{
    public static Process Start(IEnumerable<string> arguments)
    {
        string apphost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "elixir.exe" : "elixir");
        var start = File.Exists(apphost)
            ? new ProcessStartInfo(apphost)
            : new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "elixir.dll") } };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
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
