namespace Elixir.Collectives.Host;

/// <summary>
/// Thrown on a rank waiting in a collective when another rank failed or the wait exceeded the configured
/// timeout; <see cref="Exception.InnerException"/> is the original error.
/// </summary>
public sealed class CollectiveAbortedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CollectiveAbortedException(string message, int failedRank, Exception? original)
        : base(message, original) => FailedRank = failedRank;

    /// <summary>
    /// The rank whose failure aborted the collective; on a timeout, the lowest rank that never arrived (-1 when
    /// a rank did not return from its own code after the others finished).
    /// </summary>
    public int FailedRank { get; }
}

/// <summary>Thrown by <see cref="LocalCluster"/> when any rank failed; reports every rank's error.</summary>
public sealed class LocalClusterException : Exception
{
    /// <summary>Creates the exception; <paramref name="errors"/> is indexed by rank (null where a rank succeeded).</summary>
    public LocalClusterException(int originalRank, Exception?[] errors)
        : base(
            $"Rank {originalRank} of {errors.Length} failed: {errors[originalRank]!.GetType().Name}: {errors[originalRank]!.Message}",
            errors[originalRank])
    {
        OriginalRank = originalRank;
        Errors = errors;
    }

    /// <summary>The rank whose error came first (the cause of the others').</summary>
    public int OriginalRank { get; }

    /// <summary>Every rank's error, indexed by rank; null where the rank finished.</summary>
    public IReadOnlyList<Exception?> Errors { get; }
}
