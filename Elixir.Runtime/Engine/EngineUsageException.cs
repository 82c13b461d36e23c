namespace Elixir.Engine;

/// <summary>
/// A training engine used out of order: a scope left open, a backward pass without a forward pass, a module run
/// twice, a step before every gradient arrived. The engine is left as it was.
/// </summary>
public sealed class EngineUsageException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public EngineUsageException(string message)
        : base(message)
    {
    }
}
