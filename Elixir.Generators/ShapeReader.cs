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
        ImmutableArray<TypedConstant> arguments = context.Attribute.ConstructorArguments;
        // [Tensor(null)] passes a null array, whose Values are a default (not empty) ImmutableArray.
        if (arguments.Length == 1 && arguments[0].Kind == TypedConstantKind.Array && arguments[0].IsNull)
        {
            context.Report(DiagnosticDescriptors.InvalidShape, context.WholeAttributeLocation, context.Property.Name, "its shape is null");
            return null;
        }

        ImmutableArray<TypedConstant> values = arguments.Length == 1 && arguments[0].Kind == TypedConstantKind.Array
            ? arguments[0].Values
            : ImmutableArray<TypedConstant>.Empty;
        if (values.IsDefaultOrEmpty)
        {
            context.Report(DiagnosticDescriptors.InvalidShape, context.WholeAttributeLocation, context.Property.Name, "it has no dimensions");
            return null;
        }

        var dimensions = new List<DimensionSpec>(values.Length);
        long elements = 1;
        bool allConstant = true;
        bool overflows = false;
        for (int i = 0; i < values.Length; i++)
        {
            Location? location = context.DimensionLocation(i, values.Length);
            if (values[i].Value is not string text)
            {
                context.Report(
                    DiagnosticDescriptors.InvalidShape, location, context.Property.Name, $"dimension {i.ToString(CultureInfo.InvariantCulture)} is null");
                continue;
            }

            DimensionSpec? dimension = ReadDimension(context, text, location, declaredDimensions, out long? constant);
            if (dimension is null)
            {
                continue;
            }

            dimensions.Add(dimension);
            if (constant is long value)
            {
                long? product = ConstantFolder.CheckedMultiply(elements, value);
                overflows |= product is null;
                elements = product ?? elements;
            }
            else
            {
                allConstant = false;
            }
        }

        if (dimensions.Count != values.Length)
        {
            return null;
        }

        // Named dimensions are at least 1, so constant factors that overflow already doom every run-time shape.
        if (overflows || (allConstant && ConstantFolder.CheckedMultiply(elements, elementSize) is null))
        {
            context.Report(DiagnosticDescriptors.InvalidShape, context.WholeAttributeLocation, context.Property.Name, "its size overflows a 64-bit integer");
            return null;
        }

        constantElements = allConstant ? elements : null;
        return dimensions.ToEquatableArray();
    }

    private static DimensionSpec? ReadDimension(
        TensorContext context, string text, Location? location, ImmutableHashSet<string>? declaredDimensions, out long? constant)
    {
        constant = null;
        string name = context.Property.Name;
        ShapeNode? node = ShapeExpressionParser.TryParse(text, out string syntaxError, out bool tooComplex);
        if (node is null)
        {
            context.Report(
                tooComplex ? DiagnosticDescriptors.DimensionExpressionTooComplex : DiagnosticDescriptors.InvalidDimensionExpression,
                location,
                name,
                Abbreviated(text),
                syntaxError);
            return null;
        }

        string? undeclared = declaredDimensions is null ? null : NamedDimensions.Of(node).FirstOrDefault(n => !declaredDimensions.Contains(n));
        if (undeclared is not null)
        {
            string declared = string.Join(", ", declaredDimensions!.OrderBy(n => n, System.StringComparer.Ordinal));
            context.Report(
                DiagnosticDescriptors.InvalidDimensionExpression, location, name, text, $"'{undeclared}' is not one of the layout's Dimensions ({declared})");
            return null;
        }

        ConstantFolder.Result folded = ConstantFolder.Fold(node);
        if (folded.Error is not null && folded.IsOverflow)
        {
            context.Report(DiagnosticDescriptors.InvalidShape, location, name, $"dimension '{text}' {folded.Error}");
            return null;
        }

        if (folded.Error is not null)
        {
            context.Report(DiagnosticDescriptors.InvalidDimensionExpression, location, name, text, folded.Error);
            return null;
        }

        if (folded.Value is <= 0)
        {
            context.Report(
                DiagnosticDescriptors.InvalidShape,
                location,
                name,
                $"dimension '{text}' is {folded.Value.Value.ToString(CultureInfo.InvariantCulture)}; dimensions must be positive");
            return null;
        }

        if (folded.Value is null && ShapeSign.IsNeverPositive(node))
        {
            string names = string.Join(", ", NamedDimensions.Of(node).Distinct().OrderBy(n => n, System.StringComparer.Ordinal));
            context.Report(
                DiagnosticDescriptors.InvalidShape,
                location,
                name,
                $"dimension '{text}' is at most 0 for every value of {names}; dimensions must be positive");
            return null;
        }

        constant = folded.Value;
        return new DimensionSpec(text, node);
    }

    // Messages quote the expression; one too long to parse is cut so the message stays readable.
    private static string Abbreviated(string text) =>
        text.Length <= 40 ? text : text.Substring(0, 40) + "...";
}
