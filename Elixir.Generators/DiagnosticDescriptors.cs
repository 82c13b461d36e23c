using Microsoft.CodeAnalysis;

namespace Elixir.Generators;

/// <summary>Every diagnostic the layout generator reports; IDs are listed in AnalyzerReleases.Unshipped.md.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Elixir.Layout";

    public static readonly DiagnosticDescriptor LayoutMustBePartial = Error(
        "ELX0001",
        "Layout type must be partial",
        "Layout type '{0}' must be declared 'partial' so the generator can implement it");

    public static readonly DiagnosticDescriptor TensorMustBePartialGetOnlySpan = Error(
        "ELX0002",
        "Tensor must be a partial get-only Span<T> instance property",
        "Tensor '{0}' must be declared as 'partial Span<T> {0} {{ get; }}': {1}");

    public static readonly DiagnosticDescriptor UnsupportedElementType = Error(
        "ELX0003",
        "Unsupported tensor element type",
        "Tensor '{0}' has element type '{1}'; supported types are float, System.Half and Elixir.Numerics.BFloat16");

    public static readonly DiagnosticDescriptor InvalidShape = Error(
        "ELX0004",
        "Invalid tensor shape",
        "Tensor '{0}' has an invalid shape: {1}");

    public static readonly DiagnosticDescriptor InvalidDimensionExpression = Error(
        "ELX0005",
        "Invalid dimension expression",
        "Tensor '{0}' dimension '{1}' is invalid: {2}");

    public static readonly DiagnosticDescriptor TensorExceedsChunkCapacity = Error(
        "ELX0006",
        "Tensor larger than the chunk capacity",
        "Tensor '{0}' has {1} elements, more than the layout's ChunkCapacity of {2}");

    public static readonly DiagnosticDescriptor TensorNameMustBeUnique = Error(
        "ELX0007",
        "Tensor name must be unique",
        "Tensor name '{0}' {1}");

    public static readonly DiagnosticDescriptor UnsupportedContainingType = Error(
        "ELX0008",
        "Unsupported layout declaration",
        "Layout type '{0}' cannot be generated: {1}");

    public static readonly DiagnosticDescriptor DimensionExpressionTooComplex = Error(
        "ELX0009",
        "Dimension expression too complex",
        "Tensor '{0}' dimension '{1}' is too complex: {2}");

    public static readonly DiagnosticDescriptor InvalidLayoutArgument = Error(
        "ELX0010",
        "Invalid ChunkLayout argument",
        "Layout '{0}' has an invalid {1}: {2}");

    public static readonly DiagnosticDescriptor LayoutMustDeclareTensors = Error(
        "ELX0011",
        "Layout declares no tensors",
        "Layout '{0}' declares no tensors; mark at least one 'partial Span<T>' property with [Tensor]");

    public static readonly DiagnosticDescriptor InvalidExternalName = Error(
        "ELX0012",
        "Invalid tensor external name",
        "Tensor '{0}' has an invalid ExternalName: {1}");

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
