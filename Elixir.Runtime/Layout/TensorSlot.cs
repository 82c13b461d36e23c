using System.Collections.Immutable;
using Elixir.Numerics;

namespace Elixir.Layout;

/// <summary>One row of a layout's offset table.</summary>
/// <param name="Name">The tensor's name (the property name).</param>
/// <param name="DType">The element type.</param>
/// <param name="Shape">The dimensions, outermost first, with named dimensions resolved.</param>
/// <param name="ElementCount">The product of <paramref name="Shape"/>.</param>
/// <param name="ByteOffset">The tensor's start in the layout's flat buffer, in bytes.</param>
/// <param name="MultiUse">True when more than one module uses the tensor.</param>
/// <param name="ExternalName">
/// The tensor's name outside this program (<see cref="TensorAttribute.ExternalName"/>); null means <paramref name="Name"/>.
/// </param>
public readonly record struct TensorSlot(
    string Name,
    DType DType,
    ImmutableArray<long> Shape,
    long ElementCount,
    long ByteOffset,
    bool MultiUse,
    string? ExternalName = null)
{
    /// <summary>
    /// The tensor's name outside this program, for example its Hugging Face name relative to its module
    /// (<c>attn.c_attn.weight</c>); the property name when the layout declares none.
    /// </summary>
    public string ExternalName { get; init; } = ExternalName ?? Name;

    /// <summary>The tensor's size in bytes.</summary>
    public long ByteCount => ElementCount * DType.SizeOf();
}
