namespace Elixir.Layout;

/// <summary>
/// The legal tensor-state transitions: Free→Hold, Free→Compute, Hold→Free, Hold→Compute, Compute→Hold,
/// Compute→HoldAfterBackward, HoldAfterBackward→Compute, HoldAfterBackward→ReadyForReduce,
/// ReadyForReduce→Hold. Everything else, staying in the same state included, is illegal.
/// </summary>
public static class TensorStateRules
{
    /// <summary>The number of <see cref="TensorState"/> values.</summary>
    public const int StateCount = 5;

    // Row = from, bit = to. One byte per state keeps the check a load and a shift.
    private static ReadOnlySpan<byte> Legal =>
    [
        (1 << (int)TensorState.Hold) | (1 << (int)TensorState.Compute),                 // Free
        (1 << (int)TensorState.Hold) | (1 << (int)TensorState.HoldAfterBackward),       // Compute
        (1 << (int)TensorState.Free) | (1 << (int)TensorState.Compute),                 // Hold
        (1 << (int)TensorState.Compute) | (1 << (int)TensorState.ReadyForReduce),       // HoldAfterBackward
        1 << (int)TensorState.Hold,                                                     // ReadyForReduce
    ];

    /// <summary>True when a tensor may move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool IsLegal(TensorState from, TensorState to) =>
        (uint)from < StateCount && (uint)to < StateCount && ((Legal[(int)from] >> (int)to) & 1) != 0;
}
