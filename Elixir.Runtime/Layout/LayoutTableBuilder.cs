using System.Collections.Immutable;
using System.Numerics;
using Elixir.Numerics;

namespace Elixir.Layout;

/// <summary>
/// Packs tensors into a <see cref="LayoutTable"/> in the order they are added, each starting at a multiple of
/// the larger of its element size and the requested alignment. Used by generated
/// <see cref="IChunkLayout{TSelf}.CreateTable"/> code; every failure names the layout and the tensor.
/// </summary>
public sealed class LayoutTableBuilder
{
    private readonly string _layout;
    private readonly int _alignmentBytes;
    private readonly TensorSlot[] _slots;
    private int _count;
    private long _end;

    /// <summary>Starts a table of <paramref name="tensorCount"/> tensors.</summary>
    /// <param name="layout">The layout's name, used in error messages.</param>
    /// <param name="tensorCount">The number of tensors that will be added.</param>
    /// <param name="alignmentBytes">0 or 1 for natural alignment, otherwise a power of two.</param>
    public LayoutTableBuilder(string layout, int tensorCount, int alignmentBytes)
    {
        if (alignmentBytes < 0 || (alignmentBytes > 1 && !BitOperations.IsPow2(alignmentBytes)))
        {
            throw new ArgumentOutOfRangeException(
                nameof(alignmentBytes), alignmentBytes, $"Layout '{layout}': alignment must be 0, 1 or a power of two.");
        }

        _layout = layout;
        _alignmentBytes = alignmentBytes;
        _slots = new TensorSlot[tensorCount];
    }

    /// <summary>The value of named dimension <paramref name="name"/>; a missing or non-positive value throws.</summary>
    public long Dimension(LayoutDimensions dimensions, string name)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        long value = dimensions.Get(name, _layout);
        if (value <= 0)
        {
            throw new ArgumentException($"Layout '{_layout}': dimension '{name}' is {value}; dimensions must be positive.");
        }

        return value;
    }

    /// <summary>Places the next tensor after the previous one, aligned.</summary>
    /// <param name="name">The tensor's property name.</param>
    /// <param name="type">The element type.</param>
    /// <param name="multiUse">True when more than one module uses the tensor.</param>
    /// <param name="shape">The resolved dimensions, outermost first.</param>
    /// <param name="externalName">The tensor's name outside this program; null means <paramref name="name"/>.</param>
    public void Add(string name, DType type, bool multiUse, ImmutableArray<long> shape, string? externalName = null)
    {
        if (_count == _slots.Length)
        {
            throw new InvalidOperationException($"Layout '{_layout}': more than {_slots.Length} tensors added.");
        }

        long elements = 1;
        long elementSize = type.SizeOf();
        long alignment = Math.Max(elementSize, _alignmentBytes);
        try
        {
            foreach (long dimension in shape)
            {
                elements = checked(elements * dimension);
            }

            long offset = checked((_end + alignment - 1) / alignment * alignment);
            _end = checked(offset + (elements * elementSize));
            _slots[_count++] = new TensorSlot(name, type, shape, elements, offset, multiUse, externalName);
        }
        catch (OverflowException)
        {
            throw new ArgumentException(
                $"Layout '{_layout}', tensor '{name}': shape [{string.Join(", ", shape)}] at byte {_end} overflows a 64-bit size.");
        }
    }

    /// <summary>Builds the table once every tensor has been added.</summary>
    public LayoutTable Build()
    {
        if (_count != _slots.Length)
        {
            throw new InvalidOperationException($"Layout '{_layout}': {_count} of {_slots.Length} tensors added.");
        }

        return new LayoutTable(_layout, _slots, _end);
    }
}
