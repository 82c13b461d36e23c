namespace Elixir.Layout;

/// <summary>
/// Declares one parameter tensor of a <see cref="ChunkLayoutAttribute"/> layout. The annotated member is a
/// <c>partial</c> get-only property of type <see cref="Span{T}"/>, where <c>T</c> is <see cref="float"/>,
/// <see cref="Half"/> or <see cref="Numerics.BFloat16"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class TensorAttribute : Attribute
{
    /// <summary>Creates the attribute from the tensor's dimensions, outermost first.</summary>
    /// <param name="shape">
    /// Each dimension is an integer literal (<c>"768"</c>) or an expression over named dimensions whose values
    /// are given at run time (<c>"C"</c>, <c>"3*C"</c>, <c>"4*C+1"</c>); <c>+</c>, <c>-</c>, <c>*</c>,
    /// <c>/</c> (exact division) and parentheses are allowed.
    /// </param>
    public TensorAttribute(params string[] shape) => Shape = shape;

    /// <summary>The dimensions as written.</summary>
    public string[] Shape { get; }

    /// <summary>
    /// True when more than one module uses the tensor (tied embeddings, a layer applied twice). Such tensors
    /// live in fused chunks that stay replicated instead of being sharded.
    /// </summary>
    public bool MultiUse { get; set; }

    /// <summary>
    /// The tensor's name outside this program, for example its Hugging Face name (<c>ln_1.weight</c>), relative
    /// to the module that holds the layout; checkpoints shared with PyTorch users can name the tensor by it.
    /// Null (the default) means the property name. It must be non-empty and unique within the layout (ELX0012).
    /// </summary>
    public string? ExternalName { get; set; }
}
