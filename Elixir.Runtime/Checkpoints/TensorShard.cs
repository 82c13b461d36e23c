using System.Collections.Immutable;
using Elixir.Numerics;

namespace Elixir.Checkpoints;

/// <summary>
/// The part of one tensor a rank holds: the flat, row-major element range <c>[Start, End)</c> of the tensor
/// <paramref name="Name"/> of shape <paramref name="GlobalShape"/>. A whole tensor is <c>[0, ElementCount)</c>.
/// </summary>
/// <param name="Name">The tensor's checkpoint name, e.g. <c>Blocks.3.QkvWeight</c> or <c>Blocks.3.QkvWeight.exp_avg</c>.</param>
/// <param name="GlobalShape">The whole tensor's dimensions.</param>
/// <param name="DType">The element type of the stored values.</param>
/// <param name="Start">The first element held.</param>
/// <param name="End">One past the last element held.</param>
public readonly record struct TensorShard(string Name, ImmutableArray<long> GlobalShape, DType DType, long Start, long End)
{
    /// <summary>The number of elements of the whole tensor.</summary>
    public long GlobalElementCount
    {
        get
        {
            long count = 1;
            foreach (long d in GlobalShape)
            {
                count = checked(count * d);
            }

            return count;
        }
    }

    /// <summary>The number of elements held.</summary>
    public long ElementCount => End - Start;

    /// <summary>The number of bytes held.</summary>
    public long ByteCount => ElementCount * DType.SizeOf();

    /// <summary>Throws naming the tensor when the range is outside the tensor or the data length is wrong.</summary>
    internal void Validate(long dataBytes, string what)
    {
        if (string.IsNullOrEmpty(Name) || GlobalShape.IsDefault)
        {
            throw new ArgumentException($"A {what} needs a tensor name and a global shape (got '{Name}').", what);
        }

        if (Start < 0 || End < Start || End > GlobalElementCount)
        {
            throw new ArgumentOutOfRangeException(
                what, $"Tensor '{Name}': range [{Start}, {End}) is outside its {GlobalElementCount} elements.");
        }

        if (dataBytes != ByteCount)
        {
            throw new ArgumentException(
                $"Tensor '{Name}': range [{Start}, {End}) of {DType} needs {ByteCount} bytes but the {what} has {dataBytes}.", what);
        }
    }

    /// <summary>The shape as text, for messages and metadata.</summary>
    internal string ShapeText => string.Join(",", GlobalShape);
}
