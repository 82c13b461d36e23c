using Elixir.Runtime.Tests.Safetensors;

namespace Elixir.Runtime.Tests.Cli;

/// <summary>
/// <c>elixir launch</c> with small shell children: each prints the variables it was given, or fails, or sleeps
/// until it is ended. Expected values are torchrun's: RANK = node rank × processes per node + local rank.
/// </summary>
public sealed class LaunchCommandTests : IDisposable
{
    private const string PrintEnvironment = "echo \"$RANK $WORLD_SIZE $LOCAL_RANK $LOCAL_WORLD_SIZE $GROUP_RANK $MASTER_ADDR $MASTER_PORT\"";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static (int ExitCode, string Output, string Error) Launch(string[] options, string script) =>
        CliRunner.Run(["launch", .. options, "--no-elixir", "--", "/bin/sh", "-c", script]);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Every_process_gets_its_rank_and_the_job_on_one_node(int processes)
    {
        var (code, output, error) = Launch(["--nproc-per-node", $"{processes}"], PrintEnvironment);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        string[] expected = [.. Enumerable.Range(0, processes).Select(r => $"[rank {r}] {r} {processes} {r} {processes} 0 127.0.0.1 29500")];
        Assert.Equal(expected, Lines(output).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_second_of_two_nodes_runs_ranks_after_the_first_nodes()
    {
        var (code, output, _) = Launch(
            ["--nproc-per-node", "2", "--nnodes", "2", "--node-rank", "1", "--master-addr", "10.1.2.3", "--master-port", "4321"], PrintEnvironment);

        Assert.Equal(0, code);
        Assert.Equal(
            ["[rank 2] 2 4 0 2 1 10.1.2.3 4321", "[rank 3] 3 4 1 2 1 10.1.2.3 4321"],
            Lines(output).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void A_failing_process_ends_the_others_and_its_error_is_the_launchs(int processes)
    {
        int failing = processes - 1;
        string pids = _dir.Path;

        // The failing rank waits until every other has recorded its pid, so each is surely running when it is ended.
        string script =
            $"if [ \"$RANK\" = {failing} ]; then " +
            $"  while [ $(ls {pids} | grep -c pid$) -lt {failing} ]; do sleep 0.05; done; echo \"rank $RANK: out of memory\" >&2; exit 3; " +
            $"else echo $$ > {pids}/$RANK.tmp; mv {pids}/$RANK.tmp {pids}/$RANK.pid; exec sh -c 'sleep 120; echo still-running'; fi";

        var (code, output, error) = Launch(["--nproc-per-node", $"{processes}"], script);

        Assert.Equal(6, code);
        string[] errorLines = Lines(error);
        Assert.Contains($"[rank {failing}] rank {failing}: out of memory", errorLines);
        Assert.Equal(
            $"elixir: rank {failing} (local rank {failing}) exited with code 3: rank {failing}: out of memory (the other processes were ended)",
            errorLines[^1]);
        Assert.DoesNotContain("still-running", output);
        foreach (string file in Directory.GetFiles(pids))
        {
            int pid = int.Parse(File.ReadAllText(file).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(Directory.Exists($"/proc/{pid}"), $"The process of {Path.GetFileName(file)} (pid {pid}) is still alive.");
        }
    }

    [Fact]
    public void Processes_that_succeed_after_another_has_succeeded_all_finish()
    {
        var (code, output, _) = Launch(["--nproc-per-node", "4"], "sleep 0.$RANK; echo done");

        Assert.Equal(0, code);
        Assert.Equal(4, Lines(output).Count(line => line.EndsWith("] done", StringComparison.Ordinal)));
    }

    [Fact]
    public void Train_on_the_host_started_as_one_of_several_processes_refuses_with_its_reason()
    {
        string elixir = Path.Combine(AppContext.BaseDirectory, "elixir");
        Assert.SkipUnless(File.Exists(elixir), $"The elixir apphost is not beside the tests ({elixir}).");

        var (code, _, error) = CliRunner.Run(["launch", "--nproc-per-node", "2", "--no-elixir", "--", elixir, "train", "--steps", "1"]);

        Assert.Equal(6, code);
        Assert.Matches(
            @"^elixir: rank [01] \(local rank [01]\) exited with code 2: elixir: this process is rank [01] of 2 \(set by elixir launch, torchrun or Slurm\); one process per rank needs --device cuda\.",
            Lines(error)[^1]);
    }

    [Theory]
    [InlineData("--nproc-per-node must be positive, got 0", "--nproc-per-node", "0")]
    [InlineData("--nnodes must be positive, got 0", "--nproc-per-node", "1", "--nnodes", "0")]
    [InlineData("--node-rank 2 is outside [0, 2) for --nnodes 2", "--nproc-per-node", "1", "--nnodes", "2", "--node-rank", "2", "--master-addr", "h")]
    [InlineData("--nnodes 2 needs --master-addr", "--nproc-per-node", "1", "--nnodes", "2")]
    [InlineData("--master-port must be in [1, 65535], got 70000", "--nproc-per-node", "1", "--master-port", "70000")]
    public void Bad_topologies_are_usage_errors(string message, params string[] options) =>
        CliRunner.AssertFails(2, message, ["launch", .. options, "--no-elixir", "--", "/bin/true"]);

    [Fact]
    public void A_missing_command_is_a_usage_error() =>
        CliRunner.AssertFails(2, "command", "launch", "--nproc-per-node", "2");

    [Fact]
    public void A_program_that_does_not_exist_is_named() =>
        CliRunner.AssertFails(3, "cannot start rank 0's process '/nonexistent/trainer'", "launch", "--nproc-per-node", "2", "--no-elixir", "--", "/nonexistent/trainer");

    [Fact]
    public void Launching_elixir_itself_from_a_host_that_is_not_elixir_says_how_instead() =>
        CliRunner.AssertFails(2, "launch can start elixir itself only when run as the elixir command", "launch", "--nproc-per-node", "1", "--", "train");

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
