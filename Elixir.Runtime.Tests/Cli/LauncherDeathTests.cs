using System.Diagnostics;
using System.Globalization;

namespace Elixir.Runtime.Tests.Cli;

/// <summary>
/// <c>elixir launch</c> killed with SIGKILL, which it cannot catch: its <c>elixir</c> children, left mid-run,
/// notice that the launcher's end of their standard input closed and end themselves instead of running on.
/// </summary>
public sealed class LauncherDeathTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    [Fact]
    public void A_killed_launcher_leaves_no_elixir_child_running()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Reads the process tree from /proc.");

        // A run far longer than the test: only the launcher's death can end it in time.
        using Process launcher = ElixirProcess.Start(
            ["launch", "--nproc-per-node", "1", "--master-port", "29641", "--", "train", "--steps", "1000000", "--batch", "2",
                "--channels", "16", "--heads", "2", "--layers", "1", "--sequence-length", "16", "--log-every", "1000000"]);
        int child;
        try
        {
            child = WaitFor(() => Children(launcher.Id).FirstOrDefault(), "the launcher's child to start");
        }
        finally
        {
            launcher.Kill(entireProcessTree: false);
            launcher.WaitForExit();
        }

        try
        {
            WaitFor(() => Ended(child) ? 1 : 0, $"child {child} to end after its launcher was killed");
        }
        finally
        {
            if (!Ended(child))
            {
                Process.GetProcessById(child).Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task When_the_launchers_pipe_closes_the_child_says_so_and_ends_by_sigkill()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Exit code 137 is Linux's SIGKILL.");
        var start = new ProcessStartInfo(ElixirProcess.Command()[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["ELIXIR_LAUNCHER_PID"] = "4242", ["RANK"] = "3" },
        };
        foreach (string argument in ElixirProcess.Command().Skip(1).Concat(
            ["train", "--ranks", "1", "--steps", "1000000", "--channels", "16", "--heads", "2", "--layers", "1", "--log-every", "1000000"]))
        {
            start.ArgumentList.Add(argument);
        }

        using Process run = Process.Start(start)!;
        Task<string> error = run.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        run.OutputDataReceived += (_, _) => { };
        run.BeginOutputReadLine();
        run.StandardInput.Close();

        Assert.True(run.WaitForExit(Patience), "The child ran on after its stdin pipe closed.");
        Assert.Equal(137, run.ExitCode);
        Assert.Equal($"elixir: the launcher (pid 4242) is gone; rank 3 (pid {run.Id}) ends with it.", (await error).Trim());
    }

    [Fact]
    public void A_process_given_the_launcher_variable_but_no_pipe_for_stdin_runs_to_the_end()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "Uses /bin/sh to give the process /dev/null as stdin.");

        // /dev/null reads end-of-file at once: a watch that trusted the variable alone would end the run at start.
        using Process run = ElixirProcess.Start(
            ["/bin/sh", "-c", "exec \"$@\" < /dev/null", "sh", .. ElixirProcess.Command(),
                "train", "--ranks", "1", "--steps", "3", "--channels", "16", "--heads", "2", "--layers", "1"],
            new Dictionary<string, string> { ["ELIXIR_LAUNCHER_PID"] = "1" });

        Assert.True(run.WaitForExit(Patience), "elixir train did not finish within a minute");
        Assert.Equal(0, run.ExitCode);
    }

    private static int WaitFor(Func<int> probe, string what)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < Patience)
        {
            int value = probe();
            if (value != 0)
            {
                return value;
            }

            Thread.Sleep(20);
        }

        Assert.Fail($"Waited {Patience.TotalSeconds} s for {what}.");
        return 0;
    }

    private static IEnumerable<int> Children(int pid) =>
        Directory.Exists($"/proc/{pid}/task")
            ? Directory.GetDirectories($"/proc/{pid}/task")
                .SelectMany(task => ReadOrEmpty(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(p => int.Parse(p, CultureInfo.InvariantCulture))
            : [];

    // Gone, or a zombie waiting for whichever process adopted it to reap it.
    private static bool Ended(int pid)
    {
        string stat = ReadOrEmpty($"/proc/{pid}/stat");
        return stat.Length == 0 || stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
