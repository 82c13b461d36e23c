using System.Diagnostics;
using System.Globalization;

namespace Elixir.Cli.Launch;

/// <summary>
/// Ends a process started by <c>elixir launch</c> when the launcher is gone, however it went. The launcher gives
/// each child a pipe as standard input and never writes to it; the kernel closes the launcher's end when the
/// launcher exits, even on SIGKILL, so the child reads end-of-file and ends itself instead of waiting forever in
/// a collective for peers the launcher would have ended. A parent-death signal would not do: Linux sends it when
/// the thread that started the child exits, which in .NET is any thread, not the launcher process.
/// </summary>
internal static class LauncherWatch
{
    /// <summary>Set by the launcher to its process id (named in the child's last line); with a pipe as stdin it starts the watch.</summary>
    internal const string Variable = "ELIXIR_LAUNCHER_PID";

    /// <summary>Starts the watch when this process was started by <c>elixir launch</c>; does nothing otherwise.</summary>
    internal static void StartIfLaunched(TextWriter error)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } launcher || !StandardInputIsAPipe())
        {
            return;
        }

        var thread = new Thread(() => Watch(launcher, error)) { IsBackground = true, Name = "elixir-launcher-watch" };
        thread.Start();
    }

    // A variable inherited by a process that was not started by the launcher (its stdin a terminal or a file) must
    // not end it the moment it reads end-of-file from /dev/null.
    private static bool StandardInputIsAPipe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return Console.IsInputRedirected;
        }

        try
        {
            return new FileInfo("/proc/self/fd/0").LinkTarget?.StartsWith("pipe:", StringComparison.Ordinal) == true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void Watch(string launcher, TextWriter error)
    {
        using Stream input = Console.OpenStandardInput();
        var buffer = new byte[256];
        try
        {
            while (input.Read(buffer) > 0)
            {
            }
        }
        catch (IOException)
        {
            // A broken pipe is the launcher's end closing too.
        }

        string rank = Environment.GetEnvironmentVariable("RANK") ?? "?";
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"elixir: the launcher (pid {launcher}) is gone; rank {rank} (pid {Environment.ProcessId}) ends with it."));
        error.Flush();

        // SIGKILL to itself, immediately: other threads may be blocked in native collectives that nothing else will
        // release, and exit handlers could wait on them. (elixir train starts no processes of its own to take along.)
        using Process self = Process.GetCurrentProcess();
        self.Kill();
    }
}
