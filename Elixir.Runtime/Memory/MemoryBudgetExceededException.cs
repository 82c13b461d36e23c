namespace Elixir.Memory;

/// <summary>
/// An allocation would take a location past its budget (<see cref="MemoryCounters.SetBudget"/>). Nothing was
/// allocated; the message names the category, the request, the budget and what is live there now.
/// </summary>
public sealed class MemoryBudgetExceededException : Exception
{
    internal MemoryBudgetExceededException(string backend, MemoryLocation location, MemoryCategory category, long requestedBytes,
        long budgetBytes, long liveBytes, string liveByCategory)
        : base($"Backend '{backend}': allocating {requestedBytes} bytes of {category.DisplayName()} at {location} would exceed its budget of " +
            $"{budgetBytes} bytes ({liveBytes} bytes live: {liveByCategory}).")
    {
        Location = location;
        Category = category;
        RequestedBytes = requestedBytes;
        BudgetBytes = budgetBytes;
        LiveBytes = liveBytes;
    }

    /// <summary>Where the allocation was asked for.</summary>
    public MemoryLocation Location { get; }

    /// <summary>What the allocation was for.</summary>
    public MemoryCategory Category { get; }

    /// <summary>The bytes asked for.</summary>
    public long RequestedBytes { get; }

    /// <summary>The location's budget.</summary>
    public long BudgetBytes { get; }

    /// <summary>The bytes live at the location when the request came.</summary>
    public long LiveBytes { get; }
}
