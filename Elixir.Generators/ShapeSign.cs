using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using Elixir.Generators.Specs;

namespace Elixir.Generators;

/// <summary>
/// Finds dimension expressions that can never be positive, such as <c>C - C</c> or <c>1 - C</c>, although they
/// use named dimensions. The expression is expanded into a polynomial over the named dimensions; since every
/// named dimension is at least 1, every monomial is at least 1, which bounds the value from above when no
/// coefficient of a named term is positive.
/// </summary>
/// <remarks>
/// Division by a named dimension, and expansions beyond <see cref="MaxTerms"/> terms, are left to the run-time
/// checks: the analysis only ever proves, never guesses.
/// </remarks>
internal static class ShapeSign
{
    private const int MaxTerms = 256;

    /// <summary>True when <paramref name="node"/> is at most 0 for every positive value of its dimensions.</summary>
    /// <remarks>
    /// With every monomial m at least 1 and every non-constant coefficient c at most 0, c * m is at most c, so
    /// the value is at most the sum of the coefficients; when that sum is at most 0, so is every value.
    /// </remarks>
    public static bool IsNeverPositive(ShapeNode node) =>
        Expand(node) is { } polynomial
        && polynomial.Terms.All(term => term.Key.Length == 0 || term.Value.Sign <= 0)
        && polynomial.Terms.Values.Aggregate(BigInteger.Zero, (sum, c) => sum + c).Sign <= 0;

    // Terms maps a monomial (its dimension names, sorted and joined by '*'; "" for the constant) to its
    // coefficient; the whole polynomial is divided by the positive Denominator.
    private sealed record Polynomial(Dictionary<string, BigInteger> Terms, BigInteger Denominator);

    private static Polynomial? Expand(ShapeNode node)
    {
        switch (node)
        {
            case LiteralNode literal:
                return Single(string.Empty, literal.Value);
            case NamedNode named:
                return Single(named.Name, BigInteger.One);
            case BinaryNode binary:
                Polynomial? left = Expand(binary.Left);
                Polynomial? right = left is null ? null : Expand(binary.Right);
                return left is null || right is null ? null : binary.Operator switch
                {
                    '+' => Add(left, right, BigInteger.One),
                    '-' => Add(left, right, BigInteger.MinusOne),
                    '*' => Multiply(left, right),
                    _ => Divide(left, right),
                };
            default:
                return null;
        }
    }

    private static Polynomial Single(string monomial, BigInteger coefficient) =>
        new(new Dictionary<string, BigInteger>(System.StringComparer.Ordinal) { [monomial] = coefficient }, BigInteger.One);

    private static Polynomial? Add(Polynomial left, Polynomial right, BigInteger sign)
    {
        var terms = new Dictionary<string, BigInteger>(System.StringComparer.Ordinal);
        foreach (KeyValuePair<string, BigInteger> term in left.Terms)
        {
            Accumulate(terms, term.Key, term.Value * right.Denominator);
        }

        foreach (KeyValuePair<string, BigInteger> term in right.Terms)
        {
            Accumulate(terms, term.Key, sign * term.Value * left.Denominator);
        }

        return Bounded(terms, left.Denominator * right.Denominator);
    }

    private static Polynomial? Multiply(Polynomial left, Polynomial right)
    {
        if ((long)left.Terms.Count * right.Terms.Count > MaxTerms * 4)
        {
            return null;
        }

        var terms = new Dictionary<string, BigInteger>(System.StringComparer.Ordinal);
        foreach (KeyValuePair<string, BigInteger> a in left.Terms)
        {
            foreach (KeyValuePair<string, BigInteger> b in right.Terms)
            {
                Accumulate(terms, MultiplyMonomials(a.Key, b.Key), a.Value * b.Value);
            }
        }

        return Bounded(terms, left.Denominator * right.Denominator);
    }

    // Only division by a non-zero constant is expanded; the divisor's denominator moves to the numerator.
    private static Polynomial? Divide(Polynomial left, Polynomial right)
    {
        if (right.Terms.Count != 1 || !right.Terms.TryGetValue(string.Empty, out BigInteger divisor) || divisor.IsZero)
        {
            return null;
        }

        var terms = left.Terms.ToDictionary(t => t.Key, t => t.Value * right.Denominator * divisor.Sign, System.StringComparer.Ordinal);
        return new Polynomial(terms, left.Denominator * BigInteger.Abs(divisor));
    }

    private static void Accumulate(Dictionary<string, BigInteger> terms, string monomial, BigInteger value)
    {
        BigInteger sum = (terms.TryGetValue(monomial, out BigInteger existing) ? existing : BigInteger.Zero) + value;
        if (sum.IsZero)
        {
            terms.Remove(monomial);
        }
        else
        {
            terms[monomial] = sum;
        }
    }

    private static Polynomial? Bounded(Dictionary<string, BigInteger> terms, BigInteger denominator) =>
        terms.Count > MaxTerms ? null : new Polynomial(terms, denominator);

    private static string MultiplyMonomials(string left, string right) =>
        left.Length == 0 ? right
        : right.Length == 0 ? left
        : string.Join("*", left.Split('*').Concat(right.Split('*')).OrderBy(n => n, System.StringComparer.Ordinal));
}
