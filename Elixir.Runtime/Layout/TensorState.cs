namespace Elixir.Layout;

/// <summary>The life-cycle state of one parameter tensor inside a chunk.</summary>
public enum TensorState : byte
{
    /// <summary>Not gathered; only the shard holds its data.</summary>
    Free = 0,
    /// <summary>Gathered and used by the layer computing now.</summary>
    Compute = 1,
    /// <summary>Gathered and kept, not used at this moment.</summary>
    Hold = 2,
    /// <summary>Kept after its backward computation; its gradient is not final yet.</summary>
    HoldAfterBackward = 3,
    /// <summary>Its gradient is final and the chunk may be reduce-scattered.</summary>
    ReadyForReduce = 4,
}
