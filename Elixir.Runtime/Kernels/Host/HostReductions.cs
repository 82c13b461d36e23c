using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Elixir.Numerics;

namespace Elixir.Kernels.Host;

/// <summary>Single-threaded reductions, so their results never depend on a thread count.</summary>
internal static class HostReductions
{
    /// <summary>True when any element's exponent bits are all ones (NaN or infinity).</summary>
    public static bool HasNonFinite(ReadOnlySpan<byte> data, DType type) => type switch
    {
        DType.Float32 => AnyExponentAllOnes(MemoryMarshal.Cast<byte, uint>(data), 0x7F80_0000u),
        DType.Float16 => AnyExponentAllOnes(MemoryMarshal.Cast<byte, ushort>(data), (ushort)0x7C00),
        DType.BFloat16 => AnyExponentAllOnes(MemoryMarshal.Cast<byte, ushort>(data), (ushort)0x7F80),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown element type."),
    };

    /// <summary>
    /// The sum of squares in double precision. Lane <c>k</c> of the vector accumulators sums elements
    /// <c>k, k + W, k + 2W, ...</c>; the lanes and then the tail are added in index order, so the result depends only
    /// on the data and the vector width. 16-bit data is widened in blocks whose size is a multiple of the vector width,
    /// which keeps that order.
    /// </summary>
    public static double SumOfSquares(ReadOnlySpan<byte> data, DType type)
    {
        Vector<double> low = Vector<double>.Zero;
        Vector<double> high = Vector<double>.Zero;
        double tail = 0;
        if (type == DType.Float32)
        {
            tail = Accumulate(MemoryMarshal.Cast<byte, float>(data), ref low, ref high);
        }
        else
        {
            Span<float> block = stackalloc float[HostKernels.BlockElements];
            int elementSize = type.SizeOf();
            int length = data.Length / elementSize;
            for (int start = 0; start < length; start += HostKernels.BlockElements)
            {
                int count = Math.Min(HostKernels.BlockElements, length - start);
                Span<float> widened = block[..count];
                HostConversions.ToSingle(data.Slice(start * elementSize, count * elementSize), type, widened);
                tail += Accumulate(widened, ref low, ref high);
            }
        }

        double sum = 0;
        for (int lane = 0; lane < Vector<double>.Count; lane++)
        {
            sum += low[lane];
        }

        for (int lane = 0; lane < Vector<double>.Count; lane++)
        {
            sum += high[lane];
        }

        return sum + tail;
    }

    /// <summary>Adds whole vectors to the accumulators and returns the tail's sum of squares.</summary>
    private static double Accumulate(ReadOnlySpan<float> data, ref Vector<double> low, ref Vector<double> high)
    {
        ref float src = ref MemoryMarshal.GetReference(data);
        int length = data.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(Vector.LoadUnsafe(ref src, (nuint)i), out Vector<double> a, out Vector<double> b);
                low += a * a;
                high += b * b;
            }
        }

        double tail = 0;
        for (; i < length; i++)
        {
            double x = Unsafe.Add(ref src, i);
            tail += x * x;
        }

        return tail;
    }

    private static bool AnyExponentAllOnes<T>(ReadOnlySpan<T> bits, T exponentMask)
        where T : unmanaged, IBinaryInteger<T>
    {
        ref T src = ref MemoryMarshal.GetReference(bits);
        int length = bits.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var mask = new Vector<T>(exponentMask);
            for (; i <= length - Vector<T>.Count; i += Vector<T>.Count)
            {
                if (Vector.EqualsAny(Vector.LoadUnsafe(ref src, (nuint)i) & mask, mask))
                {
                    return true;
                }
            }
        }

        for (; i < length; i++)
        {
            if ((Unsafe.Add(ref src, i) & exponentMask) == exponentMask)
            {
                return true;
            }
        }

        return false;
    }
}
