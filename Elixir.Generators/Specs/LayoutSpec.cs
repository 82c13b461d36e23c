namespace Elixir.Generators.Specs;

/// <summary>Everything the emitter needs to write one layout.</summary>
/// <remarks>
/// Holds only strings, numbers and equatable arrays: no symbol, syntax node or compilation survives the
/// transform, because the incremental pipeline compares specs to decide whether to re-emit, and Roslyn
/// objects would never compare equal (and would keep whole compilations alive).
/// </remarks>
/// <param name="Namespace">The containing namespace, escaped (<c>@class.G</c>), or empty for the global namespace.</param>
/// <param name="ContainingTypes">Declarations of enclosing types, outermost first, escaped, e.g. <c>partial class Outer</c>.</param>
/// <param name="Name">The layout struct's name as the compiler knows it (<c>struct</c> for <c>@struct</c>).</param>
/// <param name="HintName">The generated file's hint name, unique ignoring case.</param>
/// <param name="Tensors">The tensors in declaration order.</param>
internal sealed record LayoutSpec(
    string Namespace,
    EquatableArray<string> ContainingTypes,
    string Name,
    string HintName,
    EquatableArray<TensorSpec> Tensors);
