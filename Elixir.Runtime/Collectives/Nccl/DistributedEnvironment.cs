using System.Globalization;

namespace Elixir.Collectives.Nccl;

/// <summary>
/// The torchrun-style variables of a one-process-per-GPU run: <c>RANK</c>, <c>WORLD_SIZE</c>, <c>LOCAL_RANK</c>,
/// <c>MASTER_ADDR</c>, <c>MASTER_PORT</c>. Rank 0 serves the NCCL unique id on <see cref="BootstrapPort"/>, which is
/// <c>ELIXIR_BOOTSTRAP_PORT</c> when set (a launcher's own store may already hold <c>MASTER_PORT</c>), else <c>MASTER_PORT</c>.
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
        int port = environment("ELIXIR_BOOTSTRAP_PORT") is { Length: > 0 }
            ? ReadInt(environment, "ELIXIR_BOOTSTRAP_PORT", 1, 65535)
            : ReadInt(environment, "MASTER_PORT", 1, 65535);
        return new DistributedEnvironment(rank, worldSize, localRank, address, port);
    }

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
