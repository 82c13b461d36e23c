using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Elixir.Generators.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Elixir.Generators;

/// <summary>One <c>[Tensor]</c> property being parsed: its symbol, its syntax locations and the diagnostics sink.</summary>
internal sealed class TensorContext
{
    private readonly List<DiagnosticInfo> _diagnostics;

    public TensorContext(IPropertySymbol property, AttributeData attribute, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        Property = property;
        Attribute = attribute;
        _diagnostics = diagnostics;
        var declaration = property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as PropertyDeclarationSyntax;
        NameLocation = declaration?.Identifier.GetLocation() ?? property.Locations.FirstOrDefault();
        TypeLocation = (declaration?.Type is GenericNameSyntax { TypeArgumentList.Arguments.Count: 1 } generic
            ? generic.TypeArgumentList.Arguments[0].GetLocation()
            : declaration?.Type.GetLocation()) ?? NameLocation;
        IsReadOnly = declaration?.Modifiers.Any(SyntaxKind.ReadOnlyKeyword) ?? false;
        AttributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
    }

    public IPropertySymbol Property { get; }

    public AttributeData Attribute { get; }

    public Location? NameLocation { get; }

    public Location? TypeLocation { get; }

    public AttributeSyntax? AttributeSyntax { get; }

    /// <summary>Whether the defining declaration is marked <c>readonly</c>.</summary>
    public bool IsReadOnly { get; }

    /// <summary>The whole <c>[Tensor(...)]</c> attribute, or the property name when it has no syntax.</summary>
    public Location? WholeAttributeLocation => AttributeSyntax?.GetLocation() ?? NameLocation;

    /// <summary>The location of dimension <paramref name="index"/> as written, or of the whole attribute.</summary>
    public Location? DimensionLocation(int index, int dimensionCount)
    {
        SeparatedSyntaxList<AttributeArgumentSyntax>? arguments = AttributeSyntax?.ArgumentList?.Arguments;
        int positional = arguments?.Count(a => a.NameEquals is null) ?? 0;
        return positional == dimensionCount && index < positional
            ? arguments!.Value[index].GetLocation()
            : WholeAttributeLocation;
    }

    /// <summary>The location of named argument <paramref name="name"/> as written, or of the whole attribute.</summary>
    public Location? NamedArgumentLocation(string name) =>
        AttributeSyntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)?.GetLocation()
        ?? WholeAttributeLocation;

    public void Report(DiagnosticDescriptor descriptor, Location? location, params string[] arguments) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));
}
