using Elixir.Generators.Specs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Elixir.Generators;

/// <summary>
/// Emits the offset table, typed views, state counter and <c>IChunkLayout&lt;TSelf&gt;</c> implementation for
/// every <c>[ChunkLayout]</c> partial struct.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class ChunkLayoutGenerator : IIncrementalGenerator
{
    internal const string ChunkLayoutAttributeName = "Elixir.Layout.ChunkLayoutAttribute";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParseResult> results = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                ChunkLayoutAttributeName,
                static (node, _) => node is StructDeclarationSyntax or RecordDeclarationSyntax,
                static (attributeContext, cancellationToken) => Parser.Parse(attributeContext, cancellationToken))
            .WithTrackingName(StepNames.Parse);

        IncrementalValuesProvider<LayoutSpec> layouts = results
            .Where(static result => result.Layout is not null)
            .Select(static (result, _) => result.Layout!)
            .WithTrackingName(StepNames.Layouts);

        IncrementalValuesProvider<DiagnosticInfo> diagnostics = results
            .SelectMany(static (result, _) => result.Diagnostics)
            .WithTrackingName(StepNames.Diagnostics);

        IncrementalValuesProvider<StubSpec> stubs = results
            .Where(static result => result.Stub is not null)
            .Select(static (result, _) => result.Stub!)
            .WithTrackingName(StepNames.Stubs);

        context.RegisterSourceOutput(layouts, static (output, layout) =>
            output.AddSource(layout.HintName, Emitter.Emit(layout)));

        context.RegisterSourceOutput(stubs, static (output, stub) =>
            output.AddSource(stub.HintName, Emitter.EmitStub(stub)));

        context.RegisterSourceOutput(diagnostics, static (output, diagnostic) =>
            output.ReportDiagnostic(diagnostic.ToDiagnostic()));
    }
}
