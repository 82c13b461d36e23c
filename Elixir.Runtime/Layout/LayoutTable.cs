namespace Elixir.Layout;

/// <summary>
/// The offset table of one layout: every tensor's name, type, shape, element count and byte offset in the
/// layout's flat order. Built once (constant data for constant shapes, or from <see cref="LayoutDimensions"/>)
/// by generated code; read without allocation afterwards.
/// </summary>
public sealed class LayoutTable
{
    private readonly TensorSlot[] _slots;

    /// <summary>Creates a table; offsets must be ascending and non-overlapping.</summary>
    public LayoutTable(string layoutName, TensorSlot[] slots, long totalBytes)
    {
        ArgumentNullException.ThrowIfNull(slots);
        long end = 0;
        foreach (var slot in slots)
        {
            if (slot.ElementCount <= 0)
            {
                throw new ArgumentException(
                    $"Layout '{layoutName}': tensor '{slot.Name}' has {slot.ElementCount} elements; shapes must be positive.");
            }

            if (slot.ByteOffset < end)
            {
                throw new ArgumentException(
                    $"Layout '{layoutName}': tensor '{slot.Name}' starts at byte {slot.ByteOffset}, before the previous tensor ends at {end}.");
            }

            end = slot.ByteOffset + slot.ByteCount;
        }

        if (totalBytes < end)
        {
            throw new ArgumentException($"Layout '{layoutName}': total {totalBytes} bytes is less than the {end} bytes its tensors span.");
        }

        LayoutName = layoutName;
        _slots = slots;
        TotalBytes = totalBytes;
    }

    /// <summary>The layout type's name.</summary>
    public string LayoutName { get; }

    /// <summary>The rows, in declaration order.</summary>
    public ReadOnlySpan<TensorSlot> Slots => _slots;

    /// <summary>The number of tensors.</summary>
    public int Count => _slots.Length;

    /// <summary>The row of tensor <paramref name="index"/>.</summary>
    public ref readonly TensorSlot this[int index] => ref _slots[index];

    /// <summary>The size of the layout's flat buffer in bytes, alignment padding included.</summary>
    public long TotalBytes { get; }

    /// <summary>The sum of all tensors' element counts (padding excluded).</summary>
    public long TotalElements => _slots.Sum(s => s.ElementCount);

    /// <summary>The index of the tensor named <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name) => Array.FindIndex(_slots, s => s.Name == name);

    /// <summary>The index of the tensor whose <see cref="TensorSlot.ExternalName"/> is <paramref name="externalName"/>, or -1.</summary>
    public int IndexOfExternalName(string externalName) => Array.FindIndex(_slots, s => s.ExternalName == externalName);
}
