using System.Globalization;

namespace Elixir.Collectives.Nccl;

/// <summary>
/// The torchrun-style variables of a one-process-per-GPU run: <c>RANK</c>, <c>WORLD_SIZE</c>, <c>LOCAL_RANK</c>,
/// <c>MASTER_ADDR</c>, <c>MASTER_PORT</c>. Rank 0 serves the NCCL unique id on <see cref="BootstrapPort"/>, never on
/// <c>MASTER_PORT</c> itself, which torchrun's own store already holds: <c>ELIXIR_BOOTSTRAP_PORT</c> when set, else
/// <c>MASTER_PORT + 1</c> (<c>MASTER_PORT - 1</c> when <c>MASTER_PORT</c> is 65535).
/// </summary>
/// <param name="Rank">This process's rank.</param>
/// <param name="WorldSize">The number of processes.</param>
/// <param name="LocalRank">This process's index on its machine; the GPU it uses.</param>
/// <param name="MasterAddress">The host name or address of rank 0.</param>
/// <param name="BootstrapPort">The TCP port rank 0 serves the unique id on.</param>
public sealed record DistributedEnvironment(int Rank, int WorldSize, int LocalRank, string MasterAddress, int BootstrapPort)
{
    /// <summary>Reads and checks the variables; a missing or malformed one throws naming it and its value.</summary>
    /// <param name="environment">Variable lookup; the process environment when null.</param>
    public static DistributedEnvironment FromEnvironment(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        int worldSize = ReadInt(environment, "WORLD_SIZE", 1, int.MaxValue);
        int rank = ReadInt(environment, "RANK", 0, worldSize - 1);
        int localRank = ReadInt(environment, "LOCAL_RANK", 0, int.MaxValue);
        string address = Read(environment, "MASTER_ADDR");
        int masterPort = ReadInt(environment, "MASTER_PORT", 1, 65535);
        int port = environment(BootstrapPortVariable) is { Length: > 0 }
            ? ReadInt(environment, BootstrapPortVariable, 1, 65535)
            : DefaultBootstrapPort(masterPort);
        return new DistributedEnvironment(rank, worldSize, localRank, address, port);
    }

    /// <summary>The variable that sets <see cref="BootstrapPort"/>.</summary>
    public const string BootstrapPortVariable = "ELIXIR_BOOTSTRAP_PORT";

    /// <summary>The bootstrap port used when <see cref="BootstrapPortVariable"/> is unset: the port after <paramref name="masterPort"/> (before it, for 65535).</summary>
    public static int DefaultBootstrapPort(int masterPort) => masterPort < 65535 ? masterPort + 1 : masterPort - 1;

    private static string Read(Func<string, string?> environment, string name) =>
        environment(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set; a one-process-per-GPU run needs RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT (torchrun sets them).");

    private static int ReadInt(Func<string, string?> environment, string name, int min, int max)
    {
        string text = Read(environment, name);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new InvalidOperationException($"{name}={text} is not an integer in [{min}, {max}].");
        }

        return value;
    }
}
