namespace Elixir.Layout;

/// <summary>
/// Checked arithmetic for one dimension expression of one tensor, used by generated
/// <see cref="IChunkLayout{TSelf}.CreateTable"/> code. Every failure throws an <see cref="ArgumentException"/>
/// that names the layout, the tensor, the expression and the values involved.
/// </summary>
public readonly struct DimensionEvaluator
{
    private readonly string _layout;
    private readonly string _tensor;
    private readonly string _expression;

    /// <summary>Creates the evaluator for dimension <paramref name="expression"/> of <paramref name="tensor"/>.</summary>
    public DimensionEvaluator(string layout, string tensor, string expression)
    {
        _layout = layout;
        _tensor = tensor;
        _expression = expression;
    }

    /// <summary><paramref name="left"/> + <paramref name="right"/>; overflow throws.</summary>
    public long Add(long left, long right)
    {
        long result = unchecked(left + right);
        if (((left ^ result) & (right ^ result)) < 0)
        {
            throw Overflow(left, "+", right);
        }

        return result;
    }

    /// <summary><paramref name="left"/> - <paramref name="right"/>; overflow throws.</summary>
    public long Subtract(long left, long right)
    {
        long result = unchecked(left - right);
        if (((left ^ right) & (left ^ result)) < 0)
        {
            throw Overflow(left, "-", right);
        }

        return result;
    }

    /// <summary><paramref name="left"/> * <paramref name="right"/>; overflow throws.</summary>
    public long Multiply(long left, long right)
    {
        long high = Math.BigMul(left, right, out long low);
        if (high != (low >> 63))
        {
            throw Overflow(left, "*", right);
        }

        return low;
    }

    /// <summary><paramref name="left"/> / <paramref name="right"/>; a zero divisor or a remainder throws.</summary>
    public long Divide(long left, long right)
    {
        if (right == 0 || left % right != 0 || (left == long.MinValue && right == -1))
        {
            throw Fail($"{left} / {right} is not an exact division");
        }

        return left / right;
    }

    /// <summary>Returns <paramref name="value"/> as the dimension's size; a size below 1 throws.</summary>
    public long Result(long value)
    {
        if (value <= 0)
        {
            throw Fail($"evaluates to {value}; dimensions must be positive");
        }

        return value;
    }

    private ArgumentException Overflow(long left, string op, long right) =>
        Fail($"{left} {op} {right} overflows a 64-bit integer");

    private ArgumentException Fail(string problem) => new(
        $"Layout '{_layout}', tensor '{_tensor}', dimension '{_expression}': {problem}.");
}
