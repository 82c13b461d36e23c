using CsCheck;
using Elixir.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Elixir.Generators.Tests.Robustness;

/// <summary>
/// Random layout declarations, well-formed or not: the generator must answer with diagnostics or compiling code,
/// never an exception (CS8785) and never an error inside a generated file.
/// </summary>
public sealed class GeneratorFuzzTests
{
    private static readonly Gen<string> Name = Gen.OneOf(
        "W", "Bias", "Layer", "layer", "L", "x_1", "_w", "@class", "@int", "@struct", "@event", "@string", "var", "value",
        "field", "Δέλτα", "名前", "e\u0301", "Device", "Table", "DeviceViews", "LayoutName", "CheckIndex", "_states",
        "s_names", "_counts", "_binding", "StateCounter", "Count", "Item", "ToString", "builder", "d0", "dim_C",
        new string('N', 300));

    private static readonly Gen<string> Atom = Gen.OneOf(
        "C", "V", "P", "n_ω", "C٣", "1", "2", "4", "0", "768", "9223372036854775807", "99999999999999999999", "٣", "%", "");

    private static readonly Gen<string> Operator = Gen.OneOf("+", "-", "*", "/", " + ", " * ", "");

    // Atoms joined by operators, with the left part parenthesized where the mask says so; now and then an
    // expression far beyond the parser's limits.
    private static readonly Gen<string> Expression = Gen.Frequency(
        (30, Gen.Select(Atom.Array[1, 6], Operator.Array[5], Gen.Int[0, 31], (atoms, operators, mask) =>
        {
            string text = atoms[0];
            for (int i = 1; i < atoms.Length; i++)
            {
                text = ((mask >> i) & 1) == 1 ? $"({text}){operators[i - 1]}{atoms[i]}" : $"{text}{operators[i - 1]}{atoms[i]}";
            }

            return text;
        })),
        (1, Gen.Int[1, 3000].Select(n => new string('(', n) + "C" + new string(')', n))),
        (1, Gen.Int[1, 3000].Select(n => string.Join("+", Enumerable.Repeat("C", n)))));

    private static readonly Gen<string> ShapeArguments = Gen.Frequency(
        (20, Gen.Select(Expression.Array[0, 3], a => string.Join(", ", a.Select(e => SymbolDisplay.FormatLiteral(e, quote: true))))),
        (1, Gen.Const("null")),
        (1, Gen.Const("new string[] { null }")),
        (1, Gen.Const("\"C\", null")));

    private static readonly Gen<string> TensorNamedArguments = Gen.Select(
        Gen.OneOf("", ", MultiUse = true", ", MultiUse = false"),
        Gen.OneOf("", "", ", ExternalName = \"x.weight\"", ", ExternalName = \"\"", ", ExternalName = null", ", ExternalName = \"W\""),
        (a, b) => a + b);

    private static readonly Gen<string> Property = Gen.Select(
        Gen.OneOf("public partial", "internal readonly partial", "public static partial", "public", "private partial"),
        Gen.OneOf("Span<float>", "Span<Half>", "Span<BFloat16>", "Span<double>", "float[]"),
        Gen.OneOf("{ get; }", "{ get; }", "{ get; set; }", "{ get; init; }"),
        Name,
        Gen.Select(ShapeArguments, TensorNamedArguments, (shape, named) => shape.Length == 0 ? named.TrimStart(',', ' ') : shape + named),
        (modifiers, type, accessors, name, arguments) => $"    [Tensor({arguments})] {modifiers} {type} {name} {accessors}");

    private static readonly Gen<string> LayoutArguments = Gen.Select(
        Gen.OneOf("", "ChunkCapacity = -10", "ChunkCapacity = 0", "ChunkCapacity = 10", "ChunkCapacity = 9223372036854775807"),
        Gen.OneOf("", "Dimensions = null", "Dimensions = new string[0]", "Dimensions = new[] { \"C\" }", "Dimensions = new[] { \"C\", \"C\" }",
            "Dimensions = new[] { \"C\", \"V\", \"P\", \"n_ω\" }", "Dimensions = new[] { \"\" }", "Dimensions = new string[] { null }"),
        (a, b) => string.Join(", ", new[] { a, b }.Where(s => s.Length > 0)));

    private static readonly Gen<string> Layout = Gen.Select(
        Gen.OneOf("public partial struct", "partial struct", "public readonly partial struct", "public struct", "ref partial struct",
            "partial record struct", "file partial struct"),
        Name,
        LayoutArguments,
        Property.Array[0, 4],
        (declaration, name, arguments, properties) =>
            $"[ChunkLayout({arguments})]\n{declaration} {name}\n{{\n{string.Join("\n", properties)}\n}}");

    private static readonly Gen<string> Source = Gen.Select(
        Gen.OneOf("", "namespace Demo;\n", "namespace @class.G;\n", "namespace N.@namespace.Δ;\n"),
        Gen.OneOf(("", ""), ("public partial class Outer {\n", "}\n"), ("public static partial class @event {\n", "}\n"),
            ("public class NotPartial {\n", "}\n"), ("public partial class G<T> {\n", "}\n"), ("partial struct S1 { partial class S2 {\n", "} }\n")),
        Layout.Array[1, 3],
        (ns, outer, layouts) => ns + outer.Item1 + string.Join("\n", layouts) + "\n" + outer.Item2);

    [Fact]
    public void RandomLayouts_GiveDiagnosticsOrCompilingCode_NeverAnException() =>
        Source.Sample(source =>
        {
            GeneratorOutcome outcome = GeneratorHarness.Run(source);

            Assert.Null(outcome.Exception);
            Assert.DoesNotContain(outcome.Diagnostics, d => d.Id == "CS8785");
            Assert.Empty(outcome.GeneratedCodeProblems.Where(d => d.Severity == DiagnosticSeverity.Error));
        }, iter: 100, threads: 1);
}
