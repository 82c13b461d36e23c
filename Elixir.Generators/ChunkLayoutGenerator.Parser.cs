using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Elixir.Generators.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Elixir.Generators;

public sealed partial class ChunkLayoutGenerator
{
    /// <summary>Turns one <c>[ChunkLayout]</c> struct into a <see cref="LayoutSpec"/> and its diagnostics.</summary>
    internal static class Parser
    {
        private const string TensorAttributeName = "Elixir.Layout.TensorAttribute";

        // Members the emitter writes into the layout, its DeviceViews and its StateCounter; a tensor with one
        // of these names would collide with them.
        private static readonly ImmutableHashSet<string> ReservedNames = ImmutableHashSet.Create(
            System.StringComparer.Ordinal,
            "LayoutName", "TensorCount", "DimensionNames", "CreateTable", "CreateStateCounter", "Bind", "Binding",
            "Device", "DeviceViews", "StateCounter", "Table", "Count", "Transition", "NameOf", "Item",
            "AllFree", "AllCompute", "AllHold", "AllHoldAfterBackward", "AllReadyForReduce",
            "Equals", "GetHashCode", "ToString", "GetType", "_binding");

        public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var type = (INamedTypeSymbol)context.TargetSymbol;
            var declaration = (TypeDeclarationSyntax)context.TargetNode;
            var diagnostics = new List<DiagnosticInfo>();
            CheckDeclaration(type, declaration, diagnostics);

            AttributeData layoutAttribute = context.Attributes[0];
            long capacity = NamedArgument(layoutAttribute, "ChunkCapacity") is { Value: long c } ? c : 0;
            ImmutableHashSet<string>? declaredDimensions = NamedArgument(layoutAttribute, "Dimensions") is { Kind: TypedConstantKind.Array } d
                ? d.Values.Select(v => v.Value as string ?? string.Empty).ToImmutableHashSet(System.StringComparer.Ordinal)
                : null;

            List<TensorSpec> tensors = ReadTensors(type, capacity, declaredDimensions, diagnostics, cancellationToken);
            LayoutSpec? layout = diagnostics.Count == 0
                ? new LayoutSpec(Namespace(type), ContainingTypes(type), type.Name, tensors.ToEquatableArray())
                : null;
            return new ParseResult(layout, diagnostics.ToEquatableArray());
        }

        private static List<TensorSpec> ReadTensors(
            INamedTypeSymbol type,
            long capacity,
            ImmutableHashSet<string>? declaredDimensions,
            List<DiagnosticInfo> diagnostics,
            CancellationToken cancellationToken)
        {
            var tensors = new List<TensorSpec>();
            var names = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (IPropertySymbol property in type.GetMembers().OfType<IPropertySymbol>())
            {
                cancellationToken.ThrowIfCancellationRequested();
                AttributeData? tensorAttribute = property.GetAttributes()
                    .FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == TensorAttributeName);
                if (tensorAttribute is null)
                {
                    continue;
                }

                var context = new TensorContext(property, tensorAttribute, diagnostics, cancellationToken);
                string? nameProblem = !names.Add(property.Name) ? "is declared more than once"
                    : ReservedNames.Contains(property.Name) || property.Name == type.Name ? "collides with a member the layout generator emits"
                    : null;
                if (nameProblem is not null)
                {
                    context.Report(DiagnosticDescriptors.TensorNameMustBeUnique, context.NameLocation, property.Name, nameProblem);
                }

                TensorSpec? tensor = ParseTensor(context, capacity, declaredDimensions);
                if (tensor is not null)
                {
                    tensors.Add(tensor);
                }
            }

            return tensors;
        }

        private static void CheckDeclaration(INamedTypeSymbol type, TypeDeclarationSyntax declaration, List<DiagnosticInfo> diagnostics)
        {
            Location location = declaration.Identifier.GetLocation();
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayoutMustBePartial, location, type.Name));
            }

            string? problem = type.TypeParameters.Length > 0 ? "it is generic"
                : type.IsRefLikeType ? "it is a ref struct"
                : type.IsRecord ? "it is a record struct, whose generated members would read the Span properties"
                : null;
            for (INamedTypeSymbol? outer = type.ContainingType; problem is null && outer is not null; outer = outer.ContainingType)
            {
                if (outer.IsGenericType)
                {
                    problem = $"it is nested in generic type '{outer.Name}'";
                }
                else if (!outer.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword)))
                {
                    problem = $"it is nested in '{outer.Name}', which is not partial";
                }
            }

            if (problem is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedContainingType, location, type.Name, problem));
            }
        }

        private static TensorSpec? ParseTensor(TensorContext context, long capacity, ImmutableHashSet<string>? declaredDimensions)
        {
            IPropertySymbol property = context.Property;
            string? shapeProblem = property.IsStatic ? "it is static"
                : property.IsIndexer ? "it is an indexer"
                : property.SetMethod is not null ? "it has a setter"
                : property.GetMethod is null ? "it has no getter"
                : property.PartialImplementationPart is not null ? "it already has an implementation"
                : !property.IsPartialDefinition ? "it is not partial"
                : property.ReturnsByRef || property.ReturnsByRefReadonly ? "it returns by reference"
                : null;
            if (shapeProblem is null && !IsSpan(property.Type))
            {
                shapeProblem = $"its type is '{property.Type.ToDisplayString()}'";
            }

            if (shapeProblem is not null)
            {
                context.Report(DiagnosticDescriptors.TensorMustBePartialGetOnlySpan, context.NameLocation, property.Name, shapeProblem);
                return null;
            }

            ITypeSymbol element = ((INamedTypeSymbol)property.Type).TypeArguments[0];
            (string ElementType, string DType, int Size)? elementInfo = ElementInfo(element);
            if (elementInfo is null)
            {
                context.Report(DiagnosticDescriptors.UnsupportedElementType, context.TypeLocation, property.Name, element.ToDisplayString());
                return null;
            }

            EquatableArray<DimensionSpec>? dimensions = ShapeReader.Read(context, declaredDimensions, elementInfo.Value.Size, out long? constantElements);
            if (dimensions is null)
            {
                return null;
            }

            if (constantElements is long elements && capacity > 0 && elements > capacity)
            {
                context.Report(
                    DiagnosticDescriptors.TensorExceedsChunkCapacity,
                    context.NameLocation,
                    property.Name,
                    elements.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    capacity.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return null;
            }

            bool multiUse = NamedArgument(context.Attribute, "MultiUse") is { Value: true };
            return new TensorSpec(
                property.Name,
                Modifiers(property.DeclaredAccessibility, context.IsReadOnly),
                elementInfo.Value.ElementType,
                elementInfo.Value.DType,
                elementInfo.Value.Size,
                dimensions.Value,
                multiUse);
        }

        private static bool IsSpan(ITypeSymbol type) =>
            type is INamedTypeSymbol { Name: "Span", Arity: 1, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

        private static (string ElementType, string DType, int Size)? ElementInfo(ITypeSymbol element) =>
            element.SpecialType == SpecialType.System_Single ? ("float", "Float32", 4)
            : element.ToDisplayString() switch
            {
                "System.Half" => ("global::System.Half", "Float16", 2),
                "Elixir.Numerics.BFloat16" => ("global::Elixir.Numerics.BFloat16", "BFloat16", 2),
                _ => null,
            };

        private static TypedConstant? NamedArgument(AttributeData attribute, string name)
        {
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                if (argument.Key == name)
                {
                    return argument.Value;
                }
            }

            return null;
        }

        private static string Namespace(INamedTypeSymbol type) =>
            type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString();

        private static EquatableArray<string> ContainingTypes(INamedTypeSymbol type)
        {
            var declarations = new List<string>();
            for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                string keyword = (outer.IsRecord, outer.TypeKind) switch
                {
                    (true, TypeKind.Struct) => "record struct",
                    (true, _) => "record",
                    (_, TypeKind.Struct) => "struct",
                    (_, TypeKind.Interface) => "interface",
                    _ => "class",
                };
                declarations.Insert(0, $"partial {keyword} {outer.Name}");
            }

            return declarations.ToEquatableArray();
        }

        // The implementing declaration must repeat the accessibility and 'readonly' of the defining one.
        private static string Modifiers(Accessibility accessibility, bool isReadOnly) =>
            isReadOnly ? Accessibility(accessibility) + " readonly" : Accessibility(accessibility);

        private static string Accessibility(Accessibility accessibility) => accessibility switch
        {
            Microsoft.CodeAnalysis.Accessibility.Public => "public",
            Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
            Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
            Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
            Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
            _ => "private",
        };
    }
}
