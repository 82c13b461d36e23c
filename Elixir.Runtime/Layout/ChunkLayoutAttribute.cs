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
}
