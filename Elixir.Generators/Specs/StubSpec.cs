namespace Elixir.Generators.Specs;

/// <summary>
/// A rejected layout's placeholder implementations of its <c>[Tensor]</c> partial properties. Emitting them
/// keeps the compiler from adding CS9248 ("partial property must have an implementation") to every ELX error.
/// </summary>
/// <param name="Namespace">The containing namespace, escaped, or empty for the global namespace.</param>
/// <param name="ContainingTypes">Declarations of enclosing types, outermost first, escaped.</param>
/// <param name="Declaration">The layout's own partial declaration, e.g. <c>partial struct L</c>.</param>
/// <param name="HintName">The unique hint name of the layout's generated file.</param>
/// <param name="Properties">Each implementing declaration, e.g. <c>public partial global::System.Span&lt;float&gt; W =&gt; throw ...;</c>.</param>
internal sealed record StubSpec(
    string Namespace,
    EquatableArray<string> ContainingTypes,
    string Declaration,
    string HintName,
    EquatableArray<string> Properties);
