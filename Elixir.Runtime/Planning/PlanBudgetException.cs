using Elixir.Memory;

namespace Elixir.Planning;

/// <summary>The device memory budget is too small for any plan; the message says how much is needed, and by what.</summary>
public sealed class PlanBudgetException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="requiredBytes">The device bytes per rank the plan needs at least.</param>
    /// <param name="budgetBytes">The budget given.</param>
    /// <param name="what">What needs the memory.</param>
    public PlanBudgetException(long requiredBytes, long budgetBytes, string what)
        : this(requiredBytes, budgetBytes, what, null)
    {
    }

    /// <summary>Creates the exception for a whole plan that does not fit, naming what each category of its device memory needs.</summary>
    /// <param name="memory">The plan's memory.</param>
    /// <param name="budgetBytes">The budget given.</param>
    /// <param name="what">The plan, in words.</param>
    public PlanBudgetException(MemoryPlan memory, long budgetBytes, string what)
        : this(memory?.RequiredDeviceBytes ?? throw new ArgumentNullException(nameof(memory)), budgetBytes, what, memory)
    {
    }

    internal PlanBudgetException(long requiredBytes, long budgetBytes, string what, MemoryPlan? memory)
        : base($"Device memory budget of {budgetBytes} bytes ({ByteSize.Format(budgetBytes)}) per rank is too small: {what} needs at least " +
            $"{requiredBytes} bytes ({ByteSize.Format(requiredBytes)}), {requiredBytes - budgetBytes} bytes short." + Breakdown(memory))
    {
        RequiredBytes = requiredBytes;
        BudgetBytes = budgetBytes;
        Memory = memory;
    }

    /// <summary>The device bytes per rank needed at least.</summary>
    public long RequiredBytes { get; }

    /// <summary>The budget that was given.</summary>
    public long BudgetBytes { get; }

    /// <summary>The memory of the plan that did not fit, by category; null when no plan could be made at all.</summary>
    public MemoryPlan? Memory { get; }

    private static string Breakdown(MemoryPlan? memory)
    {
        if (memory is null)
        {
            return "";
        }

        var parts = new List<string>();
        foreach (var category in MemoryCategories.All)
        {
            long bytes = memory.Steady(MemoryLocation.Device, category);
            if (bytes > 0)
            {
                parts.Add($"{category.DisplayName()} {bytes}");
            }
        }

        parts.Add($"construction/checkpoint peak above training {memory.Peak(MemoryLocation.Device) - memory.Steady(MemoryLocation.Device)}");
        parts.Add($"model working memory {memory.WorkingMemoryBytes}");
        return $" The whole engine needs {memory.RequiredDeviceBytes} device bytes: {string.Join(", ", parts)}.";
    }
}
