using System.Globalization;

namespace Elixir.Cli.Launch;

/// <summary>
/// Where the processes of an <c>elixir launch</c> sit: <see cref="ProcessesPerNode"/> on each of <see cref="Nodes"/>
/// machines, this launcher starting those of node <see cref="NodeRank"/>, and rank 0's address and port for the
/// NCCL bootstrap. Gives each child the variables torchrun gives.
/// </summary>
internal sealed record LaunchTopology(int ProcessesPerNode, int Nodes, int NodeRank, string MasterAddress, int MasterPort)
{
    internal int WorldSize => ProcessesPerNode * Nodes;

    /// <summary>The global rank of this node's <paramref name="localRank"/>-th process.</summary>
    internal int Rank(int localRank) => (NodeRank * ProcessesPerNode) + localRank;

    /// <summary>The torchrun variables of this node's <paramref name="localRank"/>-th process.</summary>
    internal IReadOnlyList<KeyValuePair<string, string>> Environment(int localRank) =>
    [
        new("RANK", Text(Rank(localRank))),
        new("WORLD_SIZE", Text(WorldSize)),
        new("LOCAL_RANK", Text(localRank)),
        new("LOCAL_WORLD_SIZE", Text(ProcessesPerNode)),
        new("GROUP_RANK", Text(NodeRank)),
        new("MASTER_ADDR", MasterAddress),
        new("MASTER_PORT", Text(MasterPort)),
    ];

    /// <summary>Checks the numbers; a bad one is a usage error naming the option and its value.</summary>
    internal static LaunchTopology Create(int processesPerNode, int nodes, int nodeRank, string? masterAddress, int masterPort)
    {
        if (processesPerNode < 1)
        {
            throw new CliException(ExitCodes.Usage, $"--nproc-per-node must be positive, got {processesPerNode}.");
        }

        if (nodes < 1)
        {
            throw new CliException(ExitCodes.Usage, $"--nnodes must be positive, got {nodes}.");
        }

        if (nodeRank < 0 || nodeRank >= nodes)
        {
            throw new CliException(ExitCodes.Usage, $"--node-rank {nodeRank} is outside [0, {nodes}) for --nnodes {nodes}.");
        }

        if (masterPort is < 1 or > 65535)
        {
            throw new CliException(ExitCodes.Usage, $"--master-port must be in [1, 65535], got {masterPort}.");
        }

        // One machine can default to the loopback address; several must agree on rank 0's address.
        if (nodes > 1 && string.IsNullOrEmpty(masterAddress))
        {
            throw new CliException(ExitCodes.Usage, $"--nnodes {nodes} needs --master-addr (the address of node 0, where rank 0 runs).");
        }

        return new LaunchTopology(processesPerNode, nodes, nodeRank, string.IsNullOrEmpty(masterAddress) ? "127.0.0.1" : masterAddress, masterPort);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
