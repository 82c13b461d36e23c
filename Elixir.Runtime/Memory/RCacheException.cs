namespace Elixir.Memory;

/// <summary>Thrown when an <see cref="RCache"/> request cannot be met; the pool is left unchanged.</summary>
public sealed class RCacheException : InvalidOperationException
{
    /// <summary>Creates the exception with a message that names the pool, the block and the counts.</summary>
    public RCacheException(string message)
        : base(message)
    {
    }
}
