namespace Elixir.Collectives.Host;

/// <summary>
/// Runs N ranks as threads of this process, each with its own <see cref="HostCommunicator"/>. When a rank
/// throws, the others are woken out of any collective with a <see cref="CollectiveAbortedException"/>, and
/// <see cref="Run(int, Action{HostCommunicator}, LocalClusterOptions?)"/> throws a
/// <see cref="LocalClusterException"/> that reports the original error.
/// </summary>
public static class LocalCluster
{
    /// <summary>Runs <paramref name="body"/> on <paramref name="worldSize"/> rank threads and waits for all.</summary>
    public static void Run(int worldSize, Action<HostCommunicator> body, LocalClusterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        Run<bool>(worldSize, communicator =>
        {
            body(communicator);
            return true;
        }, options);
    }

    /// <summary>Runs <paramref name="body"/> on every rank and returns the results indexed by rank.</summary>
    public static T[] Run<T>(int worldSize, Func<HostCommunicator, T> body, LocalClusterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (worldSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(worldSize), worldSize, $"A cluster needs at least 1 rank, not {worldSize}.");
        }

        var rendezvous = new HostRendezvous(worldSize, options ?? new LocalClusterOptions());
        var results = new T[worldSize];
        var errors = new Exception?[worldSize];
        var threads = new Thread[worldSize];
        for (int r = 0; r < worldSize; r++)
        {
            int rank = r;
            threads[r] = new Thread(() =>
            {
                try
                {
                    using var communicator = new HostCommunicator(rendezvous, rank);
                    results[rank] = body(communicator);
                }
                catch (Exception error)
                {
                    errors[rank] = error;
                    rendezvous.Abort(rank, error);
                }
            })
            {
                Name = $"rank {rank}",
                IsBackground = true,
            };
            threads[r].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        int failed = rendezvous.FailedRank;
        if (failed >= 0)
        {
            throw new LocalClusterException(errors[failed] is null ? Array.FindIndex(errors, e => e is not null) : failed, errors);
        }

        return results;
    }
}
