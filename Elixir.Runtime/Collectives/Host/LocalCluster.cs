namespace Elixir.Collectives.Host;

/// <summary>
/// Runs N ranks as threads of this process, each with its own <see cref="HostCommunicator"/>. When a rank
/// throws, the others are woken out of any collective with a <see cref="CollectiveAbortedException"/>, and
/// <see cref="Run(int, Action{HostCommunicator}, LocalClusterOptions?)"/> throws a
/// <see cref="LocalClusterException"/> that reports the original error. It always returns or throws: a rank that
/// never arrives at a collective fails its peers after <see cref="LocalClusterOptions.CollectiveTimeout"/>, and a
/// rank that never returns is abandoned (its thread is a background thread) a little over twice that time after
/// another rank returned or failed.
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

        var done = new bool[worldSize];
        WaitForRanks(threads, done, rendezvous);
        var reported = (Exception?[])errors.Clone();
        for (int r = 0; r < worldSize; r++)
        {
            if (!done[r])
            {
                reported[r] = new CollectiveAbortedException(
                    $"Rank {r} did not return within {Grace(rendezvous.Options)} after " +
                    (rendezvous.FailedRank >= 0 ? $"rank {rendezvous.FailedRank} failed" : "the other ranks returned") +
                    "; its thread is abandoned.",
                    -1,
                    null);
            }
        }

        int failed = rendezvous.FailedRank;
        if (failed < 0 || reported[failed] is null)
        {
            failed = Array.FindIndex(reported, e => e is not null);
        }

        if (failed >= 0)
        {
            throw new LocalClusterException(failed, reported);
        }

        return results;
    }

    /// <summary>
    /// How long the ranks still running may take once another rank returned or failed: past one collective
    /// timeout, so that a rank waiting in a collective reports its own timeout first.
    /// </summary>
    private static TimeSpan Grace(LocalClusterOptions options) => 2 * options.CollectiveTimeout + TimeSpan.FromSeconds(1);

    /// <summary>
    /// Joins the rank threads, but once one rank has returned or the cluster has failed, waits at most
    /// <see cref="Grace"/> for the rest: a rank blocked outside any collective would otherwise keep
    /// <see cref="Run{T}"/> from ever returning. Ranks still running then are marked not done.
    /// </summary>
    private static void WaitForRanks(Thread[] threads, bool[] done, HostRendezvous rendezvous)
    {
        long? deadline = null;
        int remaining = threads.Length;
        while (remaining > 0)
        {
            for (int r = 0; r < threads.Length; r++)
            {
                if (!done[r] && threads[r].Join(remaining == threads.Length ? 50 : 10))
                {
                    done[r] = true;
                    remaining--;
                }
            }

            if (remaining > 0 && deadline is null && (remaining < threads.Length || rendezvous.FailedRank >= 0))
            {
                deadline = Environment.TickCount64 + (long)Grace(rendezvous.Options).TotalMilliseconds;
            }

            if (remaining > 0 && Environment.TickCount64 > deadline)
            {
                return;
            }
        }
    }
}
