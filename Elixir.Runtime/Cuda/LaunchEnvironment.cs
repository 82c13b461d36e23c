using System.Globalization;
using Elixir.Collectives.Nccl;

namespace Elixir.Cuda;

/// <summary>
/// Finds out whether this process is one rank of a job started by <c>elixir launch</c> or torchrun (their
/// <c>RANK</c>/<c>WORLD_SIZE</c>/<c>LOCAL_RANK</c>/<c>MASTER_ADDR</c>/<c>MASTER_PORT</c>) or by Slurm's <c>srun</c>
/// (<c>SLURM_PROCID</c>/<c>SLURM_NTASKS</c>/<c>SLURM_LOCALID</c>, rank 0's address from <c>MASTER_ADDR</c> or the
/// first host of <c>SLURM_JOB_NODELIST</c>; the bootstrap port, as under torchrun, is <c>ELIXIR_BOOTSTRAP_PORT</c> or
/// the one after <c>MASTER_PORT</c>, 29500 when unset), so <c>elixir train</c>
/// reads its place the same way under all three.
/// </summary>
public static class LaunchEnvironment
{
    /// <summary>The <c>MASTER_PORT</c> assumed when nothing sets one (torchrun's default).</summary>
    public const int DefaultMasterPort = 29500;

    /// <summary>The job this process belongs to, or null when it was started alone.</summary>
    /// <param name="environment">Variable lookup; the process environment when null.</param>
    /// <exception cref="InvalidOperationException">A variable is set but malformed; the message names it and its value.</exception>
    public static DistributedEnvironment? Detect(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment("WORLD_SIZE") is { Length: > 0 })
        {
            return DistributedEnvironment.FromEnvironment(environment);
        }

        if (environment("SLURM_NTASKS") is not { Length: > 0 } tasks)
        {
            return null;
        }

        int worldSize = Integer("SLURM_NTASKS", tasks, 1, int.MaxValue);
        int rank = Integer("SLURM_PROCID", environment("SLURM_PROCID"), 0, worldSize - 1);
        int localRank = Integer("SLURM_LOCALID", environment("SLURM_LOCALID"), 0, int.MaxValue);
        string address = environment("MASTER_ADDR") is { Length: > 0 } given ? given
            : FirstHost(environment("SLURM_JOB_NODELIST") ?? environment("SLURM_NODELIST")
                ?? throw new InvalidOperationException("Under Slurm, rank 0's address comes from MASTER_ADDR or SLURM_JOB_NODELIST; neither is set."));
        int port = environment("ELIXIR_BOOTSTRAP_PORT") is { Length: > 0 } bootstrap ? Integer("ELIXIR_BOOTSTRAP_PORT", bootstrap, 1, 65535)
            : DistributedEnvironment.DefaultBootstrapPort(
                environment("MASTER_PORT") is { Length: > 0 } master ? Integer("MASTER_PORT", master, 1, 65535) : DefaultMasterPort);
        return new DistributedEnvironment(rank, worldSize, localRank, address, port);
    }

    /// <summary>
    /// The first host of a Slurm host list: <c>gpu07</c> from <c>gpu07,gpu09</c>, <c>gpu[07-09,12]</c> or
    /// <c>gpu[07-09],cpu01</c> (a bracket's first number keeps its zero padding).
    /// </summary>
    public static string FirstHost(string nodeList)
    {
        ArgumentNullException.ThrowIfNull(nodeList);
        int comma = nodeList.IndexOf(',');
        int bracket = nodeList.IndexOf('[');
        if (bracket < 0 || (comma >= 0 && comma < bracket))
        {
            string first = (comma < 0 ? nodeList : nodeList[..comma]).Trim();
            return first.Length > 0 ? first : throw new InvalidOperationException($"SLURM_JOB_NODELIST='{nodeList}' names no host.");
        }

        int end = nodeList.IndexOfAny([',', '-', ']'], bracket + 1);
        if (end < 0 || end == bracket + 1)
        {
            throw new InvalidOperationException($"SLURM_JOB_NODELIST='{nodeList}' has an unterminated or empty range.");
        }

        return nodeList[..bracket] + nodeList[(bracket + 1)..end];
    }

    private static int Integer(string name, string? text, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new InvalidOperationException($"{name}={text ?? "(not set)"} is not an integer in [{min}, {max}].");
        }

        return value;
    }
}
