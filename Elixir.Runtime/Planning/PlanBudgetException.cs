namespace Elixir.Planning;

/// <summary>The device memory budget is too small for any plan; the message says how much is needed.</summary>
public sealed class PlanBudgetException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="requiredBytes">The device bytes per rank the plan needs at least.</param>
    /// <param name="budgetBytes">The budget given.</param>
    /// <param name="what">What needs the memory.</param>
    public PlanBudgetException(long requiredBytes, long budgetBytes, string what)
        : base($"Device memory budget of {budgetBytes} bytes ({ByteSize.Format(budgetBytes)}) per rank is too small: {what} needs at least {requiredBytes} bytes ({ByteSize.Format(requiredBytes)}).")
    {
        RequiredBytes = requiredBytes;
        BudgetBytes = budgetBytes;
    }

    /// <summary>The device bytes per rank needed at least.</summary>
    public long RequiredBytes { get; }

    /// <summary>The budget that was given.</summary>
    public long BudgetBytes { get; }
}
