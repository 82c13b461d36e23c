using Elixir.Layout;

namespace Elixir.Optim;

/// <summary>Decides whether a tensor belongs to a parameter group.</summary>
/// <param name="name">The tensor's checkpoint name, e.g. <c>Blocks.3.Ln1Weight</c>.</param>
/// <param name="slot">The tensor's row of its layout table (shape, dtype).</param>
public delegate bool TensorSelector(string name, in TensorSlot slot);

/// <summary>Common <see cref="TensorSelector"/>s.</summary>
public static class TensorSelectors
{
    /// <summary>
    /// Tensors with fewer than two dimensions: biases and normalisation weights, the usual "no weight decay" set.
    /// </summary>
    public static TensorSelector OneDimensional { get; } = static (string _, in TensorSlot slot) => slot.Shape.Length < 2;

    /// <summary>Tensors whose name ends with one of <paramref name="suffixes"/> (ordinal comparison).</summary>
    public static TensorSelector NameEndsWith(params string[] suffixes)
    {
        ArgumentNullException.ThrowIfNull(suffixes);
        string[] copy = (string[])suffixes.Clone();
        return (string name, in TensorSlot _) => copy.Any(suffix => name.EndsWith(suffix, StringComparison.Ordinal));
    }
}
