using System.Collections.Generic;
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

        public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var type = (INamedTypeSymbol)context.TargetSymbol;
            var declaration = (TypeDeclarationSyntax)context.TargetNode;
            string metadataName = TypeNames.MetadataName(type);
            if (!IsOnlyLayoutDeclaration(type, declaration, metadataName, context.SemanticModel.Compilation))
            {
                return ParseResult.None;
            }

            var diagnostics = new List<DiagnosticInfo>();
            CheckDeclaration(type, declaration, diagnostics);
            LayoutArguments arguments = LayoutArguments.Read(type, context.Attributes[0], declaration.Identifier.GetLocation(), diagnostics);
            List<IPropertySymbol> properties = TensorProperties(type);
            List<TensorSpec> tensors = ReadTensors(type, properties, arguments, diagnostics, cancellationToken);
            if (diagnostics.Count == 0 && properties.Count == 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayoutMustDeclareTensors, declaration.Identifier.GetLocation(), type.Name));
            }

            string hintName = Identifiers.HintName(metadataName);
            return diagnostics.Count == 0
                ? new ParseResult(
                    new LayoutSpec(TypeNames.Namespace(type), TypeNames.ContainingTypes(type), type.Name, hintName, tensors.ToEquatableArray()),
                    null,
                    EquatableArray<DiagnosticInfo>.Empty)
                : new ParseResult(null, StubReader.Read(type, hintName, properties, context.SemanticModel, cancellationToken), diagnostics.ToEquatableArray());
        }

        // The compiler already reports a second [ChunkLayout] on another part of the same type (CS0579) and two
        // types of one name (CS0101); generating for both would add the same hint name twice, which stops the
        // generator for the whole compilation.
        private static bool IsOnlyLayoutDeclaration(INamedTypeSymbol type, TypeDeclarationSyntax declaration, string metadataName, Compilation compilation)
        {
            SyntaxReference? first = type.GetAttributes()
                .FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == ChunkLayoutAttributeName)?
                .ApplicationSyntaxReference;
            bool firstIsHere = first is not null
                && first.SyntaxTree == declaration.SyntaxTree
                && declaration.Span.Contains(first.Span);
            return firstIsHere && SymbolEqualityComparer.Default.Equals(compilation.GetTypeByMetadataName(metadataName), type);
        }

        private static List<IPropertySymbol> TensorProperties(INamedTypeSymbol type) => type.GetMembers()
            .OfType<IPropertySymbol>()
            .Where(p => TensorAttribute(p) is not null)
            .ToList();

        private static AttributeData? TensorAttribute(IPropertySymbol property) =>
            property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == TensorAttributeName);

        private static List<TensorSpec> ReadTensors(
            INamedTypeSymbol type,
            List<IPropertySymbol> properties,
            LayoutArguments arguments,
            List<DiagnosticInfo> diagnostics,
            CancellationToken cancellationToken)
        {
            var tensors = new List<TensorSpec>();
            var names = new HashSet<string>(System.StringComparer.Ordinal);
            var externalNames = new Dictionary<string, string>(System.StringComparer.Ordinal);
            foreach (IPropertySymbol property in properties)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var context = new TensorContext(property, TensorAttribute(property)!, diagnostics, cancellationToken);
                string? nameProblem = !names.Add(property.Name) ? "is declared more than once"
                    : ReservedNames.TensorNames.Contains(property.Name)
                        ? $"collides with a member the layout generator emits; reserved names are {ReservedNames.TensorNameList}"
                    : property.Name == type.Name ? "is the layout type's own name"
                    : null;
                if (nameProblem is not null)
                {
                    context.Report(DiagnosticDescriptors.TensorNameMustBeUnique, context.NameLocation, property.Name, nameProblem);
                }

                string? externalName = ReadExternalName(context, nameProblem is null ? externalNames : null);
                TensorSpec? tensor = ParseTensor(context, arguments, externalName);
                if (tensor is not null)
                {
                    tensors.Add(tensor);
                }
            }

            return tensors;
        }

        // The declared external name (null when absent); checks it is non-empty and that the effective name
        // (the property name when absent) is unique among the tensors seen so far.
        private static string? ReadExternalName(TensorContext context, Dictionary<string, string>? externalNames)
        {
            string name = context.Property.Name;
            string? declared = NamedArgument(context.Attribute, "ExternalName")?.Value as string;
            Location? location = context.NamedArgumentLocation("ExternalName");
            if (declared is not null && declared.Trim().Length == 0)
            {
                context.Report(DiagnosticDescriptors.InvalidExternalName, location, name, "it is empty; give a name or leave ExternalName unset to use the property name");
                return null;
            }

            string effective = declared ?? name;
            if (externalNames is not null && externalNames.TryGetValue(effective, out string? owner))
            {
                string which = declared is null ? $"its property name '{effective}'" : $"'{effective}'";
                context.Report(DiagnosticDescriptors.InvalidExternalName, location, name, $"{which} is already the external name of tensor '{owner}'");
            }
            else
            {
                externalNames?.Add(effective, name);
            }

            return declared;
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
                : type.IsFileLocal ? "it is a file-local type, which the generated file cannot extend"
                : ReservedNames.LayoutMembers.Contains(type.Name)
                    ? $"its name is also the name of a member the generator emits into it; reserved names are {ReservedNames.LayoutMemberList}"
                : null;
            for (INamedTypeSymbol? outer = type.ContainingType; problem is null && outer is not null; outer = outer.ContainingType)
            {
                if (outer.IsGenericType)
                {
                    problem = $"it is nested in generic type '{outer.Name}'";
                }
                else if (outer.IsFileLocal)
                {
                    problem = $"it is nested in file-local type '{outer.Name}', which the generated file cannot extend";
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

        private static TensorSpec? ParseTensor(TensorContext context, LayoutArguments arguments, string? externalName)
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

            EquatableArray<DimensionSpec>? dimensions = ShapeReader.Read(context, arguments.Dimensions, elementInfo.Value.Size, out long? constantElements);
            if (dimensions is null)
            {
                return null;
            }

            if (constantElements is long elements && arguments.Capacity > 0 && elements > arguments.Capacity)
            {
                context.Report(
                    DiagnosticDescriptors.TensorExceedsChunkCapacity,
                    context.NameLocation,
                    property.Name,
                    elements.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    arguments.Capacity.ToString(System.Globalization.CultureInfo.InvariantCulture));
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
                multiUse,
                externalName);
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
