namespace Elixir.Layout;

/// <summary>
/// Per-tensor states of one layout instance and the number of tensors in each state. Generated for every
/// <see cref="ChunkLayoutAttribute"/> type; chunks route every transition through it.
/// </summary>
public interface ITensorStateCounter
{
    /// <summary>The number of tensors tracked.</summary>
    int TensorCount { get; }

    /// <summary>The current state of tensor <paramref name="tensor"/> (its index in the layout).</summary>
    TensorState this[int tensor] { get; }

    /// <summary>How many tensors are in <paramref name="state"/>; O(1).</summary>
    int Count(TensorState state);

    /// <summary>
    /// Moves tensor <paramref name="tensor"/> to <paramref name="to"/>. An illegal transition throws
    /// <see cref="IllegalStateTransitionException"/> and changes nothing.
    /// </summary>
    void Transition(int tensor, TensorState to);

    /// <summary>The name of tensor <paramref name="tensor"/>.</summary>
    string NameOf(int tensor);
}
