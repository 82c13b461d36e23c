using System.CommandLine;
using Elixir.Cli.Launch;

namespace Elixir.Cli.Commands;

/// <summary>
/// <c>elixir launch</c>: starts one process per GPU of this node, as torchrun does, each with <c>RANK</c>,
/// <c>WORLD_SIZE</c>, <c>LOCAL_RANK</c>, <c>MASTER_ADDR</c> and <c>MASTER_PORT</c>; the command after <c>--</c> is an
/// <c>elixir</c> command line (<c>-- train --device cuda ...</c>), or any program with <c>--no-elixir</c>.
/// </summary>
internal static class LaunchCommand
{
    private static readonly Option<int> s_processesPerNode = new("--nproc-per-node") { Description = "Processes on this node (one per GPU)", Required = true };
    private static readonly Option<int> s_nodes = new("--nnodes") { Description = "Machines taking part", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> s_nodeRank = new("--node-rank") { Description = "This machine's index in [0, --nnodes)", DefaultValueFactory = _ => 0 };
    private static readonly Option<string> s_masterAddress = new("--master-addr") { Description = "Address of node 0 (default 127.0.0.1 on one node)" };
    private static readonly Option<int> s_masterPort = new("--master-port") { Description = "Port rank 0 serves the NCCL bootstrap on", DefaultValueFactory = _ => 29500 };
    private static readonly Option<bool> s_noElixir = new("--no-elixir") { Description = "Run the command after -- as a program, not as elixir's arguments" };
    private static readonly Argument<string[]> s_command = new("command") { Description = "After --: the elixir command line each process runs", Arity = ArgumentArity.OneOrMore };

    /// <summary>The command with its options and action.</summary>
    public static Command Create()
    {
        var command = new Command("launch", "Start one process per GPU with torchrun's environment variables; a failing process ends the others.")
        {
            s_processesPerNode, s_nodes, s_nodeRank, s_masterAddress, s_masterPort, s_noElixir, s_command,
        };
        command.SetAction(Run);
        return command;
    }

    private static int Run(ParseResult result)
    {
        var topology = LaunchTopology.Create(
            result.GetValue(s_processesPerNode), result.GetValue(s_nodes), result.GetValue(s_nodeRank),
            result.GetValue(s_masterAddress), result.GetValue(s_masterPort));
        string[] arguments = result.GetValue(s_command) ?? [];
        IReadOnlyList<string> command = result.GetValue(s_noElixir) ? arguments : [.. ElixirItself(), .. arguments];
        var output = result.InvocationConfiguration.Output;
        var error = result.InvocationConfiguration.Error;
        using var group = ProcessGroup.Start(topology, command, output, error);
        LaunchFailure? failure = group.WaitAsync().GetAwaiter().GetResult();
        return failure is null ? ExitCodes.Success : throw new CliException(ExitCodes.LaunchedProcessFailed, failure.Describe());
    }

    /// <summary>How to start this same <c>elixir</c>: its apphost, or <c>dotnet elixir.dll</c> when run through the muxer.</summary>
    private static string[] ElixirItself()
    {
        string? host = Environment.ProcessPath;
        string assembly = typeof(LaunchCommand).Assembly.Location;
        if (host is null || string.IsNullOrEmpty(assembly) || System.Reflection.Assembly.GetEntryAssembly() != typeof(LaunchCommand).Assembly)
        {
            throw new CliException(ExitCodes.Usage, "launch can start elixir itself only when run as the elixir command; pass --no-elixir and the full command line.");
        }

        return Path.GetFileNameWithoutExtension(host) == "dotnet" ? [host, assembly] : [host];
    }
}
