namespace Elixir.Layout;

/// <summary>
/// Marks a <c>partial struct</c> whose <see cref="TensorAttribute"/> properties describe a model's
/// parameters in declaration order. The Elixir source generator emits the offset table, the state
/// counter, the typed views and the <see cref="IChunkLayout{TSelf}"/> implementation for it.
/// </summary>
[AttributeUsage(AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class ChunkLayoutAttribute : Attribute
{
    /// <summary>
    /// The largest chunk, in elements, that tensors of this layout must fit into; 0 means no limit.
    /// A tensor whose constant element count exceeds it is reported at compile time (ELX0006).
    /// </summary>
    public long ChunkCapacity { get; set; }

    /// <summary>
    /// The named dimensions the layout's shapes may use, for example <c>new[] { "C", "V" }</c>. When set, a
    /// shape that names any other dimension is reported at compile time (ELX0005), which catches typos such as
    /// <c>"c"</c> for <c>"C"</c>; when null (the default) any identifier is a named dimension.
    /// </summary>
    public string[]? Dimensions { get; set; }
}
