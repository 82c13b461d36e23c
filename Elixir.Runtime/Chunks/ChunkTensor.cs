using Elixir.Layout;
using Elixir.Numerics;

namespace Elixir.Chunks;

/// <summary>
/// One tensor of a chunk: tensor <see cref="Index"/> of a layout instance (its table row, its binding and its
/// generated state counter) placed at element <see cref="Offset"/> of the chunk.
/// </summary>
public sealed class ChunkTensor
{
    internal ChunkTensor(LayoutBinding binding, ITensorStateCounter counter, int index, long offset)
    {
        Binding = binding;
        Counter = counter;
        Index = index;
        Offset = offset;
    }

    /// <summary>The layout instance's addresses; rewritten when the chunk is gathered or released.</summary>
    public LayoutBinding Binding { get; }

    /// <summary>The layout instance's generated state counter.</summary>
    public ITensorStateCounter Counter { get; }

    /// <summary>The tensor's index in its layout.</summary>
    public int Index { get; }

    /// <summary>The tensor's first element within the chunk.</summary>
    public long Offset { get; }

    /// <summary>The tensor's name.</summary>
    public string Name => Binding.Table[Index].Name;

    /// <summary>The tensor's element count.</summary>
    public long ElementCount => Binding.Table[Index].ElementCount;

    /// <summary>The tensor's element type.</summary>
    public DType DType => Binding.Table[Index].DType;

    /// <summary>The tensor's current state.</summary>
    public TensorState State => Counter[Index];

    /// <inheritdoc/>
    public override string ToString() => $"{Name} [{Offset}, {Offset + ElementCount}) {State}";
}
