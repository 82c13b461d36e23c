namespace Elixir.Fetching;

/// <summary>Which pass a compute step belongs to; it decides the state tensors are held in after the step.</summary>
public enum ComputePhase : byte
{
    /// <summary>The forward pass: tensors go back to <see cref="Layout.TensorState.Hold"/>.</summary>
    Forward = 0,
    /// <summary>The backward pass: tensors go to <see cref="Layout.TensorState.HoldAfterBackward"/>.</summary>
    Backward = 1,
}
