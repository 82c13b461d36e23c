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
