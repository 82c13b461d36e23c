using System.Diagnostics;
using Elixir.Collectives.Nccl;
using Elixir.Interop;

namespace Elixir.Cuda;

/// <summary>
/// The one way the host waits on a backend's streams and events once NCCL collectives may be queued on them.
/// A blocking <c>cuStreamSynchronize</c> would never return when a peer dies mid-collective, so the wait polls:
/// it queries the work, polls each communicator's asynchronous error, and past the collective timeout aborts the
/// communicators (<c>ncclCommAbort</c>) and throws. Aborting makes the peers' collectives fail too, so every rank
/// ends with an exception instead of a hang. With no communicator attached nothing can stall, and waits block.
/// </summary>
internal sealed class HostWait
{
    private readonly Lock _gate = new();
    private ICollectiveWatch[] _watches = [];

    /// <summary>True while a communicator may queue work on the backend's streams.</summary>
    internal bool HasCollectives => Volatile.Read(ref _watches).Length > 0;

    internal void Attach(ICollectiveWatch watch)
    {
        lock (_gate)
        {
            Volatile.Write(ref _watches, [.. _watches, watch]);
        }
    }

    internal void Detach(ICollectiveWatch watch)
    {
        lock (_gate)
        {
            Volatile.Write(ref _watches, [.. _watches.Where(w => !ReferenceEquals(w, watch))]);
        }
    }

    /// <summary>Returns once <paramref name="done"/> completes; throws (after aborting) when a communicator fails or times out.</summary>
    internal void For(ICompletion done) => Poll(done, Volatile.Read(ref _watches));

    /// <summary>
    /// Waits until <paramref name="watch"/>'s communicator is no longer <c>ncclInProgress</c> (a non-blocking
    /// start-up, or a call that returned <c>ncclInProgress</c>).
    /// </summary>
    internal static void ForProgress(ICollectiveWatch watch) => Poll(new Progress(watch), [watch]);

    internal static void Poll(ICompletion done, ReadOnlySpan<ICollectiveWatch> watches)
    {
        long start = Stopwatch.GetTimestamp();
        var spinner = new SpinWait();
        while (true)
        {
            foreach (ICollectiveWatch watch in watches)
            {
                ncclResult_t error = watch.AsyncError();
                if (error is not (ncclResult_t.ncclSuccess or ncclResult_t.ncclInProgress))
                {
                    string collective = watch.PendingCollective;
                    AbortAll(watches);
                    throw NcclStatus.ToException(error, $"rank {watch.Rank} waiting for {collective} (communicator aborted)");
                }
            }

            if (done.IsComplete)
            {
                return;
            }

            TimeSpan waited = Stopwatch.GetElapsedTime(start);
            foreach (ICollectiveWatch watch in watches)
            {
                if (waited > watch.Timeout)
                {
                    string collective = watch.PendingCollective;
                    AbortAll(watches);
                    throw new CollectiveTimeoutException(collective, watch.Rank, watch.Timeout);
                }
            }

            spinner.SpinOnce(sleep1Threshold: 64);
        }
    }

    private static void AbortAll(ReadOnlySpan<ICollectiveWatch> watches)
    {
        foreach (ICollectiveWatch watch in watches)
        {
            watch.Abort();
        }
    }

    private sealed class Progress(ICollectiveWatch watch) : ICompletion
    {
        public bool IsComplete => watch.AsyncError() != ncclResult_t.ncclInProgress;
    }
}
