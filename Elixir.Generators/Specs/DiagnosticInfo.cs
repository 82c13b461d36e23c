using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Elixir.Generators.Specs;

/// <summary>
/// A diagnostic with its location reduced to a file path and spans, so it compares by value in the
/// incremental pipeline (a <see cref="Location"/> holds its syntax tree).
/// </summary>
internal sealed record DiagnosticInfo(
    DiagnosticDescriptor Descriptor,
    string FilePath,
    TextSpan Span,
    LinePositionSpan LineSpan,
    EquatableArray<string> MessageArguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] messageArguments)
    {
        FileLinePositionSpan lineSpan = location?.GetLineSpan() ?? default;
        return new DiagnosticInfo(
            descriptor,
            lineSpan.Path ?? string.Empty,
            location?.SourceSpan ?? default,
            lineSpan.Span,
            messageArguments.ToEquatableArray());
    }

    public Diagnostic ToDiagnostic()
    {
        Location location = FilePath.Length == 0 ? Location.None : Location.Create(FilePath, Span, LineSpan);
        return Diagnostic.Create(Descriptor, location, MessageArguments.Items.ToArray());
    }
}
