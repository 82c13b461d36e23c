using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Elixir.Generators;

/// <summary>How a layout type and the types around it are named in generated declarations and hint names.</summary>
internal static class TypeNames
{
    /// <summary>The containing namespace with each part escaped, or empty for the global namespace.</summary>
    public static string Namespace(INamedTypeSymbol type)
    {
        var parts = new List<string>();
        for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            parts.Insert(0, Identifiers.Escape(ns.Name));
        }

        return string.Join(".", parts);
    }

    /// <summary>Partial declarations of the enclosing types, outermost first, e.g. <c>partial class Outer</c>.</summary>
    public static EquatableArray<string> ContainingTypes(INamedTypeSymbol type)
    {
        var declarations = new List<string>();
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            declarations.Insert(0, Declaration(outer));
        }

        return declarations.ToEquatableArray();
    }

    /// <summary>The type's own partial declaration, type parameters included, e.g. <c>partial record struct R&lt;T&gt;</c>.</summary>
    public static string Declaration(INamedTypeSymbol type)
    {
        string keyword = (type.IsRecord, type.TypeKind) switch
        {
            (true, TypeKind.Struct) => "record struct",
            (true, _) => "record",
            (_, TypeKind.Struct) => "struct",
            (_, TypeKind.Interface) => "interface",
            _ => "class",
        };
        string parameters = type.TypeParameters.Length == 0
            ? string.Empty
            : "<" + string.Join(", ", type.TypeParameters.Select(p => Identifiers.Escape(p.Name))) + ">";
        return $"{(type.IsRefLikeType ? "ref " : string.Empty)}partial {keyword} {Identifiers.Escape(type.Name)}{parameters}";
    }

    /// <summary>The name the runtime would load the type by, e.g. <c>Demo.Outer+Layer</c>, for hint names.</summary>
    public static string MetadataName(INamedTypeSymbol type)
    {
        string name = type.MetadataName;
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            name = outer.MetadataName + "+" + name;
        }

        // Display strings escape keywords (@class); metadata names never do.
        for (INamespaceSymbol? ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            name = ns.Name + "." + name;
        }

        return name;
    }
}
