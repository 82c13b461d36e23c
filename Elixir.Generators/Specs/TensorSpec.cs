namespace Elixir.Generators.Specs;

/// <summary>One <c>[Tensor]</c> property of a layout.</summary>
/// <param name="Name">The property name as the compiler knows it (<c>int</c> for <c>@int</c>).</param>
/// <param name="Modifiers">The declared accessibility and <c>readonly</c> keywords, e.g. <c>public readonly</c>.</param>
/// <param name="ElementType">The fully qualified element type, e.g. <c>float</c>.</param>
/// <param name="DType">The <c>Elixir.Numerics.DType</c> member name.</param>
/// <param name="ElementSize">The element size in bytes.</param>
/// <param name="Dimensions">The shape, outermost first.</param>
/// <param name="MultiUse">Whether more than one module uses the tensor.</param>
/// <param name="ExternalName">The declared external name, or null when it is the property name.</param>
internal sealed record TensorSpec(
    string Name,
    string Modifiers,
    string ElementType,
    string DType,
    int ElementSize,
    EquatableArray<DimensionSpec> Dimensions,
    bool MultiUse,
    string? ExternalName);

/// <summary>One dimension as written and as parsed.</summary>
internal sealed record DimensionSpec(string Text, ShapeNode Expression);
