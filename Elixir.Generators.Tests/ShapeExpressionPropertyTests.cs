using CsCheck;
using Elixir.Generators.Specs;

namespace Elixir.Generators.Tests;

/// <summary>Properties of the shape-expression parser over random input, each against a reference computed here.</summary>
public sealed class ShapeExpressionPropertyTests
{
    private static readonly Gen<char> Operator = Gen.OneOf('+', '-', '*', '/');

    [Fact]
    public void UnparenthesizedConstants_FollowPrecedence_LikeATwoPassLoop()
    {
        Gen.Select(Gen.Int[1, 9].Array[1, 8], Operator.Array[7], Gen.OneOf("", " ", "\t"), (numbers, operators, space) => (numbers, operators, space))
            .Sample(t =>
            {
                char[] operators = t.operators.Take(t.numbers.Length - 1).ToArray();
                string text = t.numbers[0].ToString(System.Globalization.CultureInfo.InvariantCulture)
                    + string.Concat(operators.Select((op, i) => $"{t.space}{op}{t.space}{t.numbers[i + 1]}"));
                long? expected = TwoPass(t.numbers, operators);

                ConstantFolder.Result folded = ConstantFolder.Fold(Assert.IsAssignableFrom<ShapeNode>(ShapeExpressionParser.TryParse(text, out string error)));

                Assert.Equal(string.Empty, error);
                Assert.Equal(expected, folded.Value);
                Assert.Equal(expected is null, folded.Error is not null);
            }, iter: 2000);
    }

    [Fact]
    public void ArbitraryText_NeverThrows_AndFailsWithAMessage()
    {
        Gen<string> text = Gen.Frequency(
            (10, Gen.Char["()+-*/ 0123456789CV_٣\u0000\u2028%x"].Array[0, 40].Select(c => new string(c))),
            (1, Gen.Char.Array[0, 40].Select(c => new string(c))));
        text.Sample(s =>
        {
            ShapeNode? node = ShapeExpressionParser.TryParse(s, out string error, out bool tooComplex);

            Assert.Equal(node is null, error.Length > 0);
            Assert.False(tooComplex && node is not null);
        }, iter: 5000);
    }

    [Fact]
    public void Limits_AcceptUpToTheLimitAndNoFurther()
    {
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 120], (depth, operators) => (depth, operators)).Sample(t =>
        {
            string nested = new string('(', t.depth) + "C" + new string(')', t.depth);
            string sum = string.Join(" + ", Enumerable.Repeat("C", t.operators + 1));

            Assert.Equal(t.depth <= ShapeExpressionParser.MaxDepth, ShapeExpressionParser.TryParse(nested, out _, out bool deepTooComplex) is not null);
            Assert.Equal(t.depth > ShapeExpressionParser.MaxDepth, deepTooComplex);
            bool fits = t.operators <= ShapeExpressionParser.MaxOperators && sum.Length <= ShapeExpressionParser.MaxLength;
            Assert.Equal(fits, ShapeExpressionParser.TryParse(sum, out _, out bool sumTooComplex) is not null);
            Assert.Equal(!fits, sumTooComplex);
        }, iter: 500);
    }

    [Fact]
    public void NamedDimensions_AreListedInTheOrderWritten()
    {
        Gen<string[]> names = Gen.OneOf("C", "V", "n_head", "Δ", "x٣").Array[1, 6];
        Gen.Select(names, Operator.Array[5], (n, ops) => (n, ops)).Sample(t =>
        {
            string text = t.n[0] + string.Concat(t.n.Skip(1).Select((name, i) => $" {t.ops[i]} {name}"));

            ShapeNode? node = ShapeExpressionParser.TryParse(text, out _);

            Assert.Equal(t.n, NamedDimensions.Of(Assert.IsAssignableFrom<ShapeNode>(node)));
        }, iter: 1000);
    }

    [Fact]
    public void NeverPositive_IsOnlyClaimedForShapesThatAreNeverPositive()
    {
        // Fully parenthesized, so the reference below needs no precedence: ((a op b) op c) ...
        Gen<string> atom = Gen.OneOf("C", "V", "0", "1", "2", "3");
        Gen.Select(atom.Array[1, 6], Operator.Array[5], (atoms, operators) => (atoms, operators)).Sample(t =>
        {
            string text = t.atoms[0];
            for (int i = 1; i < t.atoms.Length; i++)
            {
                text = $"({text} {t.operators[i - 1]} {t.atoms[i]})";
            }

            ShapeNode node = Assert.IsAssignableFrom<ShapeNode>(ShapeExpressionParser.TryParse(text, out _));
            if (!ShapeSign.IsNeverPositive(node))
            {
                return;
            }

            for (long c = 1; c <= 12; c++)
            {
                for (long v = 1; v <= 12; v++)
                {
                    long? value = Evaluate(t.atoms, t.operators, c, v);
                    Assert.True(value is null or <= 0, $"{text} is {value} for C = {c}, V = {v}");
                }
            }
        }, iter: 3000);
    }

    // Reference for the fully parenthesized form: left to right; null when a division is inexact or by zero.
    private static long? Evaluate(string[] atoms, char[] operators, long c, long v)
    {
        long Atom(string a) => a switch { "C" => c, "V" => v, _ => long.Parse(a, System.Globalization.CultureInfo.InvariantCulture) };
        long value = Atom(atoms[0]);
        for (int i = 1; i < atoms.Length; i++)
        {
            long next = Atom(atoms[i]);
            if (operators[i - 1] == '/')
            {
                if (next == 0 || value % next != 0)
                {
                    return null;
                }

                value /= next;
            }
            else
            {
                value = operators[i - 1] switch { '+' => value + next, '-' => value - next, _ => value * next };
            }
        }

        return value;
    }

    // Reference: multiplications and divisions first, left to right, then additions and subtractions; null when
    // a division is inexact (all values are small, so nothing overflows).
    private static long? TwoPass(int[] numbers, char[] operators)
    {
        var terms = new List<long> { numbers[0] };
        var signs = new List<char> { '+' };
        for (int i = 0; i < operators.Length; i++)
        {
            long next = numbers[i + 1];
            switch (operators[i])
            {
                case '*':
                    terms[^1] *= next;
                    break;
                case '/':
                    if (terms[^1] % next != 0)
                    {
                        return null;
                    }

                    terms[^1] /= next;
                    break;
                default:
                    terms.Add(next);
                    signs.Add(operators[i]);
                    break;
            }
        }

        long sum = 0;
        for (int i = 0; i < terms.Count; i++)
        {
            sum += signs[i] == '+' ? terms[i] : -terms[i];
        }

        return sum;
    }
}
