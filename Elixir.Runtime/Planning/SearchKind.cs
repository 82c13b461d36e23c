namespace Elixir.Planning;

/// <summary>How the planner chooses the public chunk size.</summary>
public enum SearchKind
{
    /// <summary>The size that wastes the fewest elements in the last-fit gaps of the chunks.</summary>
    MinimumWaste = 0,
    /// <summary>The size that moves the fewest elements per step under the device memory budget.</summary>
    Optimal = 1,
}
