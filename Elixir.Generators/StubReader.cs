using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Elixir.Generators.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Elixir.Generators;

/// <summary>Builds the placeholder implementations of a rejected layout's <c>[Tensor]</c> properties.</summary>
internal static class StubReader
{
    /// <summary>
    /// The placeholders, or null when no generated declaration could extend the type (it, or a type around
    /// it, is not partial or is file-local) or no property needs one.
    /// </summary>
    public static StubSpec? Read(
        INamedTypeSymbol type, string hintName, IEnumerable<IPropertySymbol> tensors, SemanticModel model, CancellationToken cancellationToken)
    {
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            if (t.IsFileLocal || !t.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is TypeDeclarationSyntax d && d.Modifiers.Any(SyntaxKind.PartialKeyword)))
            {
                return null;
            }
        }

        string message = Literal($"Layout '{type.Name}' has errors reported by the Elixir layout generator (ELX diagnostics).");
        var properties = new List<string>();
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (IPropertySymbol property in tensors)
        {
            if (property.IsPartialDefinition
                && property.PartialImplementationPart is null
                && !property.IsIndexer
                && !property.ReturnsByRef
                && !property.ReturnsByRefReadonly
                && property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is PropertyDeclarationSyntax { AccessorList: { } accessors } declaration
                && IsFreeOfCompilerErrors(declaration, model, cancellationToken)
                && names.Add(property.Name))
            {
                string typeName = property.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(
                    SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier));
                string bodies = string.Join(" ", accessors.Accessors.Select(a =>
                    string.Concat(a.Modifiers.Select(m => m.Text + " ")) + a.Keyword.Text + $" => throw new global::System.InvalidOperationException({message});"));
                properties.Add($"{string.Join(" ", declaration.Modifiers.Select(m => m.Text))} {typeName} {Identifiers.Escape(property.Name)} {{ {bodies} }}");
            }
        }

        return properties.Count == 0
            ? null
            : new StubSpec(TypeNames.Namespace(type), TypeNames.ContainingTypes(type), TypeNames.Declaration(type), hintName, properties.ToEquatableArray());
    }

    // A placeholder would repeat the compiler's own errors on the definition (an init accessor on a static
    // property, a duplicate name), so such properties get none; the compiler's error already explains them.
    // The missing implementation itself (CS9248) is what the placeholder is for, so it does not count.
    private static bool IsFreeOfCompilerErrors(PropertyDeclarationSyntax declaration, SemanticModel model, CancellationToken cancellationToken) =>
        declaration.SyntaxTree == model.SyntaxTree
        && !model.GetDiagnostics(declaration.Span, cancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS9248");

    private static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);
}
