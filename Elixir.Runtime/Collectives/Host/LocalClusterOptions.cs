namespace Elixir.Collectives.Host;

/// <summary>Settings of an in-process cluster.</summary>
public sealed record LocalClusterOptions
{
    /// <summary>
    /// The longest a rank waits for its peers inside one collective; past it the collective fails on every
    /// rank with an error naming the ranks that never arrived, instead of hanging. Twice it (plus a second) bounds how long
    /// <see cref="LocalCluster"/> waits for a rank that has not returned once another rank returned or failed.
    /// </summary>
    public TimeSpan CollectiveTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Compare every collective's fingerprint (kind, element count, type, reduction, root and call number)
    /// across ranks before any data moves; a mismatch throws a <see cref="CollectiveMismatchException"/> naming
    /// both calls on every rank. On by default: ranks that disagree about the order or size of their collectives
    /// otherwise read past their peers' buffers or reduce the wrong data. The check rides on the meeting every
    /// collective already has, so it costs a comparison per rank; turning it off is for runs whose collective
    /// order is known to agree.
    /// </summary>
    public bool Checked { get; init; } = true;
}
