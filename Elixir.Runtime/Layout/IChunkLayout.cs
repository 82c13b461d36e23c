namespace Elixir.Layout;

/// <summary>
/// Implemented by the source generator for every <see cref="ChunkLayoutAttribute"/> type, so the runtime reads
/// any layout's table, views and state counter generically, without reflection.
/// </summary>
/// <typeparam name="TSelf">The layout type itself.</typeparam>
public interface IChunkLayout<TSelf> where TSelf : struct, IChunkLayout<TSelf>
{
    /// <summary>The layout type's name.</summary>
    static abstract string LayoutName { get; }

    /// <summary>The number of tensors the layout declares.</summary>
    static abstract int TensorCount { get; }

    /// <summary>The named dimensions the shapes use, sorted ordinally; empty when every shape is constant.</summary>
    static abstract IReadOnlyList<string> DimensionNames { get; }

    /// <summary>
    /// Computes the offset table for the given dimension values. Each tensor starts at a multiple of
    /// <paramref name="alignmentBytes"/> (0 or 1: packed, only natural element alignment). Bad values (a
    /// missing name, a non-positive or overflowing dimension, an inexact division) throw naming the tensor.
    /// </summary>
    static abstract LayoutTable CreateTable(LayoutDimensions dimensions, int alignmentBytes = 0);

    /// <summary>Creates a new state counter with every tensor <see cref="TensorState.Free"/>.</summary>
    static abstract ITensorStateCounter CreateStateCounter();

    /// <summary>Wraps a binding in the layout's typed views.</summary>
    static abstract TSelf Bind(LayoutBinding binding);

    /// <summary>The binding this instance reads its addresses from.</summary>
    LayoutBinding Binding { get; }
}
