using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Elixir.Generators.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Elixir.Generators;

/// <summary>Reads and checks the named arguments of one <c>[ChunkLayout]</c> attribute.</summary>
internal sealed class LayoutArguments
{
    private LayoutArguments(long capacity, ImmutableHashSet<string>? dimensions)
    {
        Capacity = capacity;
        Dimensions = dimensions;
    }

    /// <summary>The chunk capacity in elements; 0 means no limit.</summary>
    public long Capacity { get; }

    /// <summary>The declared dimension names, or null when any identifier is a named dimension.</summary>
    public ImmutableHashSet<string>? Dimensions { get; }

    /// <summary>Reads the arguments; a problem is reported and the argument treated as absent.</summary>
    public static LayoutArguments Read(INamedTypeSymbol type, AttributeData attribute, Location? fallback, List<DiagnosticInfo> diagnostics)
    {
        long capacity = 0;
        ImmutableHashSet<string>? dimensions = null;
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            Location? location = ArgumentLocation(attribute, argument.Key) ?? fallback;
            if (argument.Key == "ChunkCapacity" && argument.Value.Value is long value)
            {
                if (value < 0)
                {
                    string text = value.ToString(CultureInfo.InvariantCulture);
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.InvalidLayoutArgument,
                        location,
                        type.Name,
                        "ChunkCapacity",
                        $"{text} is negative; use 0 for no limit or a positive number of elements"));
                }
                else
                {
                    capacity = value;
                }
            }
            else if (argument.Key == "Dimensions" && argument.Value.Kind == TypedConstantKind.Array && !argument.Value.IsNull)
            {
                string? problem = DimensionsProblem(argument.Value.Values);
                if (problem is null)
                {
                    dimensions = argument.Value.Values.Select(v => (string)v.Value!).ToImmutableHashSet(System.StringComparer.Ordinal);
                }
                else
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidLayoutArgument, location, type.Name, "Dimensions", problem));
                }
            }
        }

        return new LayoutArguments(capacity, dimensions);
    }

    // Null Dimensions means "any name" (the default); an empty list, a name that is not an identifier, or a
    // repeated name is a mistake the user should see.
    private static string? DimensionsProblem(ImmutableArray<TypedConstant> values)
    {
        if (values.IsDefaultOrEmpty)
        {
            return "the list is empty; list the names the shapes use, or leave Dimensions unset to allow any name";
        }

        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        for (int i = 0; i < values.Length; i++)
        {
            string index = i.ToString(CultureInfo.InvariantCulture);
            if (values[i].Value is not string name)
            {
                return $"entry {index} is null";
            }

            if (!IsDimensionName(name))
            {
                return $"entry {index} '{name}' is not a dimension name (a letter or '_', then letters, digits or '_')";
            }

            if (!seen.Add(name))
            {
                return $"'{name}' is listed more than once";
            }
        }

        return null;
    }

    // The same rule the shape parser uses for identifiers, so every declared name can appear in a shape.
    private static bool IsDimensionName(string name) =>
        name.Length > 0
        && (char.IsLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsLetterOrDigit(c) || c == '_');

    private static Location? ArgumentLocation(AttributeData attribute, string name) =>
        (attribute.ApplicationSyntaxReference?.GetSyntax() as AttributeSyntax)?.ArgumentList?.Arguments
            .FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)?
            .GetLocation();
}
