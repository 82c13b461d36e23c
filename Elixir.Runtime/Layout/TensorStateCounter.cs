namespace Elixir.Layout;

/// <summary>
/// The state storage and transition checks behind every generated <c>StateCounter</c>. Generated counters
/// derive from it and add one typed property per tensor; keeping the storage here (private) means no tensor
/// name can collide with it.
/// </summary>
public abstract class TensorStateCounter : ITensorStateCounter
{
    private readonly string _layoutName;
    private readonly string[] _names;
    private readonly TensorState[] _states;
    private readonly int[] _counts = new int[TensorStateRules.StateCount];

    /// <summary>Creates a counter over the tensors named <paramref name="tensorNames"/>, every one free.</summary>
    /// <param name="layoutName">The layout's name, used in error messages.</param>
    /// <param name="tensorNames">The tensors' names in layout order; the counter keeps the array.</param>
    protected TensorStateCounter(string layoutName, string[] tensorNames)
    {
        ArgumentNullException.ThrowIfNull(layoutName);
        ArgumentNullException.ThrowIfNull(tensorNames);
        _layoutName = layoutName;
        _names = tensorNames;
        _states = new TensorState[tensorNames.Length];
        _counts[(int)TensorState.Free] = tensorNames.Length;
    }

    /// <inheritdoc/>
    public int TensorCount => _names.Length;

    /// <summary>True when every tensor is <see cref="TensorState.Free"/>.</summary>
    public bool AllFree => _counts[(int)TensorState.Free] == _names.Length;

    /// <summary>True when every tensor is <see cref="TensorState.Compute"/>.</summary>
    public bool AllCompute => _counts[(int)TensorState.Compute] == _names.Length;

    /// <summary>True when every tensor is <see cref="TensorState.Hold"/>.</summary>
    public bool AllHold => _counts[(int)TensorState.Hold] == _names.Length;

    /// <summary>True when every tensor is <see cref="TensorState.HoldAfterBackward"/>.</summary>
    public bool AllHoldAfterBackward => _counts[(int)TensorState.HoldAfterBackward] == _names.Length;

    /// <summary>True when every tensor is <see cref="TensorState.ReadyForReduce"/>.</summary>
    public bool AllReadyForReduce => _counts[(int)TensorState.ReadyForReduce] == _names.Length;

    /// <inheritdoc/>
    public TensorState this[int tensor] => _states[CheckIndex(tensor)];

    /// <inheritdoc/>
    public int Count(TensorState state) => (uint)state < (uint)_counts.Length
        ? _counts[(int)state]
        : throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown tensor state.");

    /// <inheritdoc/>
    public void Transition(int tensor, TensorState to)
    {
        TensorState from = _states[CheckIndex(tensor)];
        if (!TensorStateRules.IsLegal(from, to))
        {
            throw new IllegalStateTransitionException(_names[tensor], from, to);
        }

        _counts[(int)from]--;
        _counts[(int)to]++;
        _states[tensor] = to;
    }

    /// <inheritdoc/>
    public string NameOf(int tensor) => _names[CheckIndex(tensor)];

    private int CheckIndex(int tensor) => (uint)tensor < (uint)_names.Length
        ? tensor
        : throw new ArgumentOutOfRangeException(nameof(tensor), tensor, $"Layout '{_layoutName}' has {_names.Length} tensors.");
}
