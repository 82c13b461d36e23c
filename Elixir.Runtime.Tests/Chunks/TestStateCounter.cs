using System.Collections.Immutable;
using Elixir.Layout;
using Elixir.Numerics;

namespace Elixir.Tests.Chunks;

/// <summary>A plain state counter and table builder standing in for a generated layout in chunk tests.</summary>
internal sealed class TestStateCounter(LayoutTable table) : ITensorStateCounter
{
    private readonly TensorState[] _states = new TensorState[table.Count];
    private readonly int[] _counts = [table.Count, 0, 0, 0, 0];

    public int TensorCount => _states.Length;

    public TensorState this[int tensor] => _states[tensor];

    public int Count(TensorState state) => _counts[(int)state];

    public void Transition(int tensor, TensorState to)
    {
        var from = _states[tensor];
        if (!TensorStateRules.IsLegal(from, to))
        {
            throw new IllegalStateTransitionException(NameOf(tensor), from, to);
        }

        _states[tensor] = to;
        _counts[(int)from]--;
        _counts[(int)to]++;
    }

    public string NameOf(int tensor) => table[tensor].Name;

    /// <summary>A packed table of tensors named t0, t1, ... with the given element counts.</summary>
    public static LayoutTable Table(DType type, params long[] counts)
    {
        var slots = new TensorSlot[counts.Length];
        long offset = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            slots[i] = new TensorSlot($"t{i}", type, [counts[i]], counts[i], offset, MultiUse: false);
            offset += counts[i] * type.SizeOf();
        }

        return new LayoutTable("TestLayout", slots, offset);
    }
}
