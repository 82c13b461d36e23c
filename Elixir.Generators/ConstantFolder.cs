using System.Globalization;
using Elixir.Generators.Specs;

namespace Elixir.Generators;

/// <summary>
/// Evaluates the constant parts of a dimension expression at compile time with the same checked rules the
/// runtime applies, so constant mistakes are reported as diagnostics instead of run-time exceptions.
/// </summary>
internal static class ConstantFolder
{
    /// <summary>The value (null when the expression uses a named dimension) or the first error found.</summary>
    internal readonly record struct Result(long? Value, string? Error, bool IsOverflow);

    public static Result Fold(ShapeNode node)
    {
        switch (node)
        {
            case LiteralNode literal:
                return new Result(literal.Value, null, false);
            case BinaryNode binary:
                Result left = Fold(binary.Left);
                if (left.Error is not null)
                {
                    return left;
                }

                Result right = Fold(binary.Right);
                if (right.Error is not null)
                {
                    return right;
                }

                if (binary.Operator == '/' && right.Value == 0)
                {
                    return new Result(null, "it divides by zero", false);
                }

                return left.Value is long l && right.Value is long r ? Apply(binary.Operator, l, r) : new Result(null, null, false);
            default:
                return new Result(null, null, false);
        }
    }

    /// <summary><paramref name="left"/> * <paramref name="right"/>, or null on overflow.</summary>
    public static long? CheckedMultiply(long left, long right)
    {
        try
        {
            return checked(left * right);
        }
        catch (System.OverflowException)
        {
            return null;
        }
    }

    private static Result Apply(char op, long left, long right)
    {
        string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
        try
        {
            switch (op)
            {
                case '+':
                    return new Result(checked(left + right), null, false);
                case '-':
                    return new Result(checked(left - right), null, false);
                case '*':
                    return new Result(checked(left * right), null, false);
                default:
                    return left % right != 0
                        ? new Result(null, $"{Text(left)} / {Text(right)} is not an exact division", false)
                        : new Result(checked(left / right), null, false);
            }
        }
        catch (System.OverflowException)
        {
            return new Result(null, $"overflows a 64-bit integer ({Text(left)} {op} {Text(right)})", true);
        }
    }
}
