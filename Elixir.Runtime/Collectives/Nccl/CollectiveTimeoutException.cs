namespace Elixir.Collectives.Nccl;

/// <summary>
/// A rank waited longer than its collective timeout for GPU work that carries NCCL collectives (a peer died or
/// stalled). The communicator has been aborted: every rank gets this or an <see cref="NcclException"/>, none hangs.
/// </summary>
public sealed class CollectiveTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="collective">The collective (or start-up call) the rank was waiting for.</param>
    /// <param name="rank">The waiting rank.</param>
    /// <param name="timeout">The timeout that ran out.</param>
    public CollectiveTimeoutException(string collective, int rank, TimeSpan timeout)
        : base($"Rank {rank} waited more than {timeout.TotalSeconds:0.###} s for {collective}; a peer is dead or stalled, "
            + "so the NCCL communicator was aborted (ncclCommAbort). Raise NcclCommunicator.CollectiveTimeout if the work is just slow.")
    {
        Collective = collective;
        Rank = rank;
        Timeout = timeout;
    }

    /// <summary>The collective (or start-up call) the rank was waiting for.</summary>
    public string Collective { get; }

    /// <summary>The waiting rank.</summary>
    public int Rank { get; }

    /// <summary>The timeout that ran out.</summary>
    public TimeSpan Timeout { get; }
}
