namespace Elixir.Safetensors;

/// <summary>One tensor entry of a safetensors header.</summary>
/// <param name="Name">The tensor's key in the header.</param>
/// <param name="DType">The safetensors dtype name (<c>F32</c>, <c>BF16</c>, ...).</param>
/// <param name="Shape">The tensor's dimensions; empty for a scalar.</param>
/// <param name="DataStart">First byte of the tensor, relative to the start of the data section.</param>
/// <param name="DataEnd">One past the last byte, relative to the start of the data section.</param>
public sealed record SafetensorsTensorInfo(string Name, string DType, IReadOnlyList<long> Shape, long DataStart, long DataEnd)
{
    /// <summary>The number of bytes the tensor occupies.</summary>
    public long ByteLength => DataEnd - DataStart;

    /// <summary>The number of elements (product of the shape; 1 for a scalar).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var d in Shape)
            {
                count = checked(count * d);
            }

            return count;
        }
    }
}
