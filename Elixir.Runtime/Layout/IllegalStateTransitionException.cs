namespace Elixir.Layout;

/// <summary>Thrown when a tensor is asked to make a transition that <see cref="TensorStateRules"/> forbids.</summary>
public sealed class IllegalStateTransitionException : InvalidOperationException
{
    /// <summary>Creates the exception for one tensor and the refused transition.</summary>
    public IllegalStateTransitionException(string tensor, TensorState from, TensorState to)
        : base($"Illegal state transition for tensor '{tensor}': {from} -> {to}.")
    {
        Tensor = tensor;
        From = from;
        To = to;
    }

    /// <summary>The tensor's name.</summary>
    public string Tensor { get; }

    /// <summary>The state the tensor is in (and stays in).</summary>
    public TensorState From { get; }

    /// <summary>The refused target state.</summary>
    public TensorState To { get; }
}
