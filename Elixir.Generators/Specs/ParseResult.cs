namespace Elixir.Generators.Specs;

/// <summary>
/// The outcome of parsing one attributed struct: a spec when it is valid, placeholders when it is rejected but
/// its declaration can still be extended, and its diagnostics.
/// </summary>
internal sealed record ParseResult(LayoutSpec? Layout, StubSpec? Stub, EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>Nothing to emit and nothing to report (a second declaration of a layout already handled).</summary>
    public static readonly ParseResult None = new(null, null, EquatableArray<DiagnosticInfo>.Empty);
}
