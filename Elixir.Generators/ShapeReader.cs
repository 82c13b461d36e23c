using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Elixir.Generators.Specs;
using Microsoft.CodeAnalysis;

namespace Elixir.Generators;

/// <summary>Reads and checks the shape of one <c>[Tensor]</c> attribute.</summary>
internal static class ShapeReader
{
    /// <summary>
    /// Parses every dimension; reports problems and returns null when any dimension is invalid.
    /// <paramref name="constantElements"/> is the element count when every dimension is constant.
    /// </summary>
    public static EquatableArray<DimensionSpec>? Read(
        TensorContext context, ImmutableHashSet<string>? declaredDimensions, int elementSize, out long? constantElements)
    {
        constantElements = null;
        string name = context.Property.Name;
        ImmutableArray<TypedConstant> values = context.Attribute.ConstructorArguments.Length == 1 && context.Attribute.ConstructorArguments[0].Kind == TypedConstantKind.Array
            ? context.Attribute.ConstructorArguments[0].Values
            : ImmutableArray<TypedConstant>.Empty;
        if (values.IsEmpty)
        {
            context.Report(DiagnosticDescriptors.InvalidShape, context.AttributeSyntax?.GetLocation() ?? context.NameLocation, name, "it has no dimensions");
            return null;
        }

        var dimensions = new List<DimensionSpec>(values.Length);
        long? elements = 1;
        bool valid = true;
        for (int i = 0; i < values.Length; i++)
        {
            Location? location = context.DimensionLocation(i, values.Length);
            string text = values[i].Value as string ?? string.Empty;
            ShapeNode? node = ShapeExpressionParser.TryParse(text, out string syntaxError);
            string? unknown = node is null || declaredDimensions is null
                ? null
                : NamedDimensions.Of(node).FirstOrDefault(n => !declaredDimensions.Contains(n));
            if (node is null || unknown is not null)
            {
                string problem = node is null
                    ? syntaxError
                    : $"'{unknown}' is not one of the layout's Dimensions ({string.Join(", ", declaredDimensions.OrderBy(n => n, System.StringComparer.Ordinal))})";
                context.Report(DiagnosticDescriptors.InvalidDimensionExpression, location, name, text, problem);
                valid = false;
                continue;
            }

            ConstantFolder.Result folded = ConstantFolder.Fold(node);
            if (folded.Error is not null)
            {
                DiagnosticDescriptor descriptor = folded.IsOverflow ? DiagnosticDescriptors.InvalidShape : DiagnosticDescriptors.InvalidDimensionExpression;
                string message = folded.IsOverflow ? $"dimension '{text}' {folded.Error}" : folded.Error;
                context.Report(descriptor, location, folded.IsOverflow ? [name, message] : [name, text, message]);
                valid = false;
                continue;
            }

            if (folded.Value is long value && value <= 0)
            {
                context.Report(
                    DiagnosticDescriptors.InvalidShape,
                    location,
                    name,
                    $"dimension '{text}' is {value.ToString(CultureInfo.InvariantCulture)}; dimensions must be positive");
                valid = false;
                continue;
            }

            elements = elements is long e && folded.Value is long v ? ConstantFolder.CheckedMultiply(e, v) ?? -1 : null;
            dimensions.Add(new DimensionSpec(text, node));
        }

        if (!valid)
        {
            return null;
        }

        if (elements == -1 || (elements is long count && ConstantFolder.CheckedMultiply(count, elementSize) is null))
        {
            context.Report(DiagnosticDescriptors.InvalidShape, context.AttributeSyntax?.GetLocation() ?? context.NameLocation, name, "its size overflows a 64-bit integer");
            return null;
        }

        constantElements = elements;
        return dimensions.ToEquatableArray();
    }
}
