namespace Elixir.Collectives.Host;

/// <summary>Settings of an in-process cluster.</summary>
public sealed record LocalClusterOptions
{
    /// <summary>
    /// The longest a rank waits for its peers inside one collective; past it the collective fails on every
    /// rank instead of hanging.
    /// </summary>
    public TimeSpan CollectiveTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Compare every collective's fingerprint across ranks before it runs (a mismatch throws).</summary>
    public bool Checked { get; init; }
}
