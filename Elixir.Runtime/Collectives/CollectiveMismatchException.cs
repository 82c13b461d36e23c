namespace Elixir.Collectives;

/// <summary>
/// Thrown on every rank of a checked collective whose ranks presented different fingerprints, by the host
/// communicator and by NCCL in checked mode alike.
/// </summary>
public sealed class CollectiveMismatchException : Exception
{
    /// <summary>Creates the exception from the two differing calls.</summary>
    public CollectiveMismatchException(int rank, CollectiveFingerprint call, int otherRank, CollectiveFingerprint otherCall)
        : base($"Collective mismatch: rank {rank} called {call} while rank {otherRank} called {otherCall}.")
    {
        Rank = rank;
        Call = call;
        OtherRank = otherRank;
        OtherCall = otherCall;
    }

    /// <summary>The rank whose call differs from rank <see cref="OtherRank"/>'s.</summary>
    public int Rank { get; }

    /// <summary>That rank's call.</summary>
    public CollectiveFingerprint Call { get; }

    /// <summary>The reference rank (0).</summary>
    public int OtherRank { get; }

    /// <summary>The reference rank's call.</summary>
    public CollectiveFingerprint OtherCall { get; }
}
