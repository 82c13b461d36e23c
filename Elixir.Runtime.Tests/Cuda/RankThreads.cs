namespace Elixir.Runtime.Tests.Cuda;

/// <summary>
/// Runs one thread per rank and waits for all of them under a deadline, so a rank stuck in a native call fails
/// the test naming the ranks still running instead of hanging the test run (Parallel.For has no timeout).
/// </summary>
internal static class RankThreads
{
    internal static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    internal static void Run(int ranks, Action<int> body, TimeSpan? timeout = null)
    {
        var errors = new Exception?[ranks];
        Thread[] threads = [.. Enumerable.Range(0, ranks).Select(rank => new Thread(() =>
        {
            try
            {
                body(rank);
            }
            catch (Exception e)
            {
                errors[rank] = e;
            }
        })
        { IsBackground = true, Name = $"rank {rank}" })];
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        DateTime deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        int[] stuck = [.. Enumerable.Range(0, ranks).Where(rank => !threads[rank].Join(Remaining(deadline)))];
        if (stuck.Length > 0)
        {
            throw new TimeoutException($"Rank(s) {string.Join(", ", stuck)} of {ranks} did not finish within {(timeout ?? DefaultTimeout).TotalSeconds:0} s.");
        }

        Exception[] failures = [.. errors.OfType<Exception>()];
        if (failures.Length > 0)
        {
            throw new AggregateException(failures);
        }
    }

    private static TimeSpan Remaining(DateTime deadline)
    {
        TimeSpan left = deadline - DateTime.UtcNow;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
