using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Elixir.Cli.Launch;

/// <summary>
/// The child processes of one node, started together and ended together: the first child to exit with a nonzero
/// code ends every other one (with its whole process tree), as does a SIGINT or SIGTERM to the launcher, so no
/// child is left waiting for a peer that will never come. Each line a child writes is forwarded with its rank.
/// Each child's standard input is a pipe the launcher holds open and never writes: when the launcher dies, even
/// by SIGKILL, the child reads end-of-file (<c>elixir</c> children end themselves then, see
/// <see cref="LauncherWatch"/>; any other program may do the same).
/// </summary>
internal sealed class ProcessGroup : IDisposable
{
    private readonly List<Process> processes = [];
    private readonly int[] ranks;
    private readonly string[] lastErrorLines;
    private readonly TextWriter output;
    private readonly TextWriter error;
    private readonly object writeLock = new();
    private readonly PosixSignalRegistration[] signals;

    private ProcessGroup(int count, TextWriter output, TextWriter error)
    {
        ranks = new int[count];
        lastErrorLines = new string[count];
        this.output = output;
        this.error = error;
        signals =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
        ];
    }

    /// <summary>Starts <paramref name="command"/> once per local rank of <paramref name="topology"/>.</summary>
    internal static ProcessGroup Start(LaunchTopology topology, IReadOnlyList<string> command, TextWriter output, TextWriter error)
    {
        var group = new ProcessGroup(topology.ProcessesPerNode, output, error);
        try
        {
            for (int local = 0; local < topology.ProcessesPerNode; local++)
            {
                group.StartOne(local, topology.Rank(local), topology.Environment(local), command);
            }

            return group;
        }
        catch
        {
            group.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits for every child. Returns the first failure (the child that exited first with a nonzero code), or null
    /// when all succeeded; children still running at a failure are ended and waited for before this returns.
    /// </summary>
    internal async Task<LaunchFailure?> WaitAsync()
    {
        var pending = processes.Select((process, index) => (Task: process.WaitForExitAsync(), Index: index)).ToList();
        LaunchFailure? failure = null;
        while (pending.Count > 0)
        {
            Task finished = await Task.WhenAny(pending.Select(p => p.Task)).ConfigureAwait(false);
            int at = pending.FindIndex(p => p.Task == finished);
            int index = pending[at].Index;
            pending.RemoveAt(at);

            // The parameterless wait also drains the forwarded output, so the last error line is known.
            processes[index].WaitForExit();
            int code = processes[index].ExitCode;
            if (code != 0 && failure is null)
            {
                failure = new LaunchFailure(ranks[index], index, code, lastErrorLines[index]);
                EndAll();
            }
        }

        return failure;
    }

    public void Dispose()
    {
        foreach (PosixSignalRegistration signal in signals)
        {
            signal.Dispose();
        }

        EndAll();
        foreach (Process process in processes)
        {
            process.Dispose();
        }
    }

    private void StartOne(int local, int rank, IReadOnlyList<KeyValuePair<string, string>> environment, IReadOnlyList<string> command)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment[LauncherWatch.Variable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var process = new Process { StartInfo = start };
        ranks[local] = rank;
        process.OutputDataReceived += (_, line) => Forward(output, rank, line.Data);
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { Length: > 0 } text)
            {
                lastErrorLines[local] = text;
            }

            Forward(error, rank, line.Data);
        };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new CliException(ExitCodes.BadInput, $"cannot start rank {rank}'s process '{command[0]}': {e.Message}");
        }

        processes.Add(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private void Forward(TextWriter writer, int rank, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (writeLock)
        {
            writer.WriteLine($"[rank {rank}] {line}");
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Let the launcher's own exit follow the children's, so the signal ends the whole job.
        EndAll();
        context.Cancel = false;
    }

    private void EndAll()
    {
        foreach (Process process in processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill.
            }
        }
    }
}
