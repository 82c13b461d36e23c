namespace Elixir.Generators.Specs;

/// <summary>The outcome of parsing one attributed struct: a spec when it is valid, and its diagnostics.</summary>
internal sealed record ParseResult(LayoutSpec? Layout, EquatableArray<DiagnosticInfo> Diagnostics);
