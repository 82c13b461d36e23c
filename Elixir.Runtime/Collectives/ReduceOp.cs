namespace Elixir.Collectives;

/// <summary>How a collective combines the ranks' values.</summary>
public enum ReduceOp : byte
{
    /// <summary>Element-wise sum.</summary>
    Sum = 0,
    /// <summary>Element-wise sum divided by the world size.</summary>
    Average = 1,
    /// <summary>Element-wise maximum.</summary>
    Max = 2,
}
