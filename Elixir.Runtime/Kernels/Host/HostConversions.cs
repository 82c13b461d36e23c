using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Elixir.Numerics;

namespace Elixir.Kernels.Host;

/// <summary>
/// Vectorised widening to and narrowing from fp32 for the 16-bit element types. Narrowing rounds to nearest,
/// ties to even, exactly as <see cref="Half"/>'s and <see cref="BFloat16"/>'s scalar conversions do.
/// </summary>
internal static class HostConversions
{
    /// <summary>Widens <paramref name="source"/> elements of <paramref name="type"/> into <paramref name="destination"/>.</summary>
    public static void ToSingle(ReadOnlySpan<byte> source, DType type, Span<float> destination)
    {
        switch (type)
        {
            case DType.Float32:
                MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                break;
            case DType.Float16:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source), destination);
                break;
            case DType.BFloat16:
                BFloat16ToSingle(MemoryMarshal.Cast<byte, ushort>(source), destination);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown element type.");
        }
    }

    /// <summary>Rounds <paramref name="source"/> to <paramref name="type"/> into <paramref name="destination"/>.</summary>
    public static void FromSingle(ReadOnlySpan<float> source, Span<byte> destination, DType type)
    {
        switch (type)
        {
            case DType.Float32:
                source.CopyTo(MemoryMarshal.Cast<byte, float>(destination));
                break;
            case DType.Float16:
                TensorPrimitives.ConvertToHalf(source, MemoryMarshal.Cast<byte, Half>(destination));
                break;
            case DType.BFloat16:
                SingleToBFloat16(source, MemoryMarshal.Cast<byte, ushort>(destination));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown element type.");
        }
    }

    /// <summary>Widens bf16 bit patterns to fp32 (exact: the pattern becomes the upper half of the float).</summary>
    public static void BFloat16ToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        ref ushort src = ref MemoryMarshal.GetReference(source);
        ref uint dst = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(destination));
        int length = source.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= length - Vector<ushort>.Count; i += Vector<ushort>.Count)
            {
                Vector.Widen(Vector.LoadUnsafe(ref src, (nuint)i), out Vector<uint> low, out Vector<uint> high);
                (low << 16).StoreUnsafe(ref dst, (nuint)i);
                (high << 16).StoreUnsafe(ref dst, (nuint)(i + Vector<uint>.Count));
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref dst, i) = (uint)Unsafe.Add(ref src, i) << 16;
        }
    }

    /// <summary>Rounds fp32 to bf16 bit patterns, ties to even; NaN stays a quiet NaN.</summary>
    public static void SingleToBFloat16(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        ref uint src = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(source));
        ref ushort dst = ref MemoryMarshal.GetReference(destination);
        int length = source.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= length - Vector<ushort>.Count; i += Vector<ushort>.Count)
            {
                Vector<uint> low = RoundToBFloat16(Vector.LoadUnsafe(ref src, (nuint)i));
                Vector<uint> high = RoundToBFloat16(Vector.LoadUnsafe(ref src, (nuint)(i + Vector<uint>.Count)));
                Vector.Narrow(low, high).StoreUnsafe(ref dst, (nuint)i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref dst, i) = BFloat16.FromSingle(BitConverter.UInt32BitsToSingle(Unsafe.Add(ref src, i))).RawBits;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<uint> RoundToBFloat16(Vector<uint> bits)
    {
        Vector<uint> rounded = (bits + new Vector<uint>(0x7FFFu) + ((bits >> 16) & Vector<uint>.One)) >> 16;
        Vector<uint> quietNaN = (bits >> 16) | new Vector<uint>(0x0040u);
        Vector<uint> isNaN = Vector.GreaterThan(bits & new Vector<uint>(0x7FFF_FFFFu), new Vector<uint>(0x7F80_0000u));
        return Vector.ConditionalSelect(isNaN, quietNaN, rounded);
    }
}
