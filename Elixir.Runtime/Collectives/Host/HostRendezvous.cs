using System.Runtime.CompilerServices;

namespace Elixir.Collectives.Host;

/// <summary>
/// The meeting point of the in-process ranks: each collective posts its arguments into its rank's slot, then
/// the ranks meet at an abortable, time-limited barrier. Monitor-based so waiting allocates nothing.
/// </summary>
internal sealed class HostRendezvous
{
    private readonly object _gate = new();
    private readonly int _timeoutMs;
    private readonly bool[] _present;
    private int _arrived;
    private long _generation;
    private Exception? _failure;
    private int _failedRank = -1;

    public HostRendezvous(int worldSize, LocalClusterOptions options)
    {
        WorldSize = worldSize;
        Options = options;
        _timeoutMs = (int)Math.Clamp(options.CollectiveTimeout.TotalMilliseconds, 1, int.MaxValue);
        Slots = new RankSlot[worldSize];
        _present = new bool[worldSize];
    }

    public int WorldSize { get; }

    public LocalClusterOptions Options { get; }

    /// <summary>What each rank posted for the collective in progress.</summary>
    public RankSlot[] Slots { get; }

    /// <summary>The rank whose failure came first, or -1.</summary>
    public int FailedRank
    {
        get
        {
            lock (_gate)
            {
                return _failedRank;
            }
        }
    }

    /// <summary>Waits until every rank has arrived; throws when the cluster was aborted or the wait timed out.</summary>
    public void Arrive(int rank)
    {
        lock (_gate)
        {
            if (_failure is not null)
            {
                ThrowAborted(rank);
            }

            long generation = _generation;
            _present[rank] = true;
            if (++_arrived == WorldSize)
            {
                _arrived = 0;
                Array.Clear(_present);
                _generation++;
                Monitor.PulseAll(_gate);
                return;
            }

            long deadline = Environment.TickCount64 + _timeoutMs;
            while (_generation == generation)
            {
                if (_failure is not null)
                {
                    ThrowAborted(rank);
                }

                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0)
                {
                    FailOnTimeout(rank);
                }

                Monitor.Wait(_gate, (int)remaining);
            }
        }
    }

    /// <summary>Records <paramref name="error"/> of <paramref name="rank"/> (the first one wins) and wakes every waiter.</summary>
    public void Abort(int rank, Exception error)
    {
        lock (_gate)
        {
            if (_failure is null)
            {
                _failure = error;
                _failedRank = rank;
            }

            Monitor.PulseAll(_gate);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowAborted(int rank) => throw new CollectiveAbortedException(
        $"Rank {rank}: collective {Slots[rank].Fingerprint} aborted because rank {_failedRank} failed: " +
        $"{_failure!.GetType().Name}: {_failure.Message}",
        _failedRank,
        _failure);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void FailOnTimeout(int rank)
    {
        int missing = Array.IndexOf(_present, false);
        var absent = new List<string>();
        for (int k = 0; k < WorldSize; k++)
        {
            if (!_present[k])
            {
                absent.Add(Slots[k].Fingerprint.Sequence == 0
                    ? $"rank {k} (no collective yet)"
                    : $"rank {k} (last call {Slots[k].Fingerprint})");
            }
        }

        var error = new CollectiveAbortedException(
            $"Rank {rank}: collective {Slots[rank].Fingerprint} timed out after {_timeoutMs} ms with " +
            $"{_arrived} of {WorldSize} ranks arrived; never arrived: {string.Join(", ", absent)}.",
            missing,
            null);
        _failure = error;
        _failedRank = rank;
        Monitor.PulseAll(_gate);
        throw error;
    }
}

/// <summary>One rank's arguments to the collective in progress.</summary>
internal struct RankSlot
{
    public CollectiveFingerprint Fingerprint;
    public nint Send;
    public nint Receive;
    public double Scalar;
}
