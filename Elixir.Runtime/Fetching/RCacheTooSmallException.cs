namespace Elixir.Fetching;

/// <summary>
/// Thrown when a compute step needs more public rCache blocks than can be freed for it: every other block holds a
/// chunk that is computing or cannot be evicted. Nothing was gathered or evicted.
/// </summary>
public sealed class RCacheTooSmallException : InvalidOperationException
{
    /// <summary>Creates the exception with the numbers involved.</summary>
    public RCacheTooSmallException(int step, int neededBlocks, int availableBlocks, int publicBlocks)
        : base($"rCache too small: step {step} needs {neededBlocks} blocks, {availableBlocks} available " +
               $"(the rCache has {publicBlocks} public blocks); allocate more blocks or use smaller chunks.")
    {
        Step = step;
        NeededBlocks = neededBlocks;
        AvailableBlocks = availableBlocks;
        PublicBlocks = publicBlocks;
    }

    /// <summary>The compute step that could not run.</summary>
    public int Step { get; }

    /// <summary>The public chunks the step uses, each needing a block.</summary>
    public int NeededBlocks { get; }

    /// <summary>The blocks the step could have: those its chunks already hold, free ones and evictable ones.</summary>
    public int AvailableBlocks { get; }

    /// <summary>The rCache's public block count.</summary>
    public int PublicBlocks { get; }
}
