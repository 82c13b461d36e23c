using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Elixir.Kernels;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Chunks;

/// <summary>
/// The element-wise operations chunks need (scale, cast, non-finite check, sum of squares) on host memory,
/// scalar-widened to fp32 for fp16/bf16. It stands in until the runtime's SIMD host kernels exist; the
/// optimizer steps are not part of it.
/// </summary>
internal sealed class InterimHostKernels : IKernels
{
    private const int Tile = 1024;

    public static readonly InterimHostKernels Instance = new();

    public void Scale(BufferSlice data, DType type, float factor, IStream? stream = null)
    {
        if (type == DType.Float32)
        {
            var span = data.AsSpan<float>();
            TensorPrimitives.Multiply(span, factor, span);
            return;
        }

        Span<float> tile = stackalloc float[Tile];
        long count = data.ByteLength / type.SizeOf();
        for (long start = 0; start < count; start += Tile)
        {
            int n = (int)Math.Min(Tile, count - start);
            var part = data.Slice(start * type.SizeOf(), n * type.SizeOf());
            Widen(part, type, tile[..n]);
            TensorPrimitives.Multiply(tile[..n], factor, tile[..n]);
            Narrow(tile[..n], part, type);
        }
    }

    public void Cast(BufferSlice source, DType sourceType, BufferSlice destination, DType destinationType, IStream? stream = null)
    {
        long count = source.ByteLength / sourceType.SizeOf();
        if (destination.ByteLength != count * destinationType.SizeOf())
        {
            throw new ArgumentException(
                $"Cast of {count} x {sourceType} into {destination.ByteLength} bytes of {destinationType}; the element counts differ.");
        }

        Span<float> tile = stackalloc float[Tile];
        for (long start = 0; start < count; start += Tile)
        {
            int n = (int)Math.Min(Tile, count - start);
            Widen(source.Slice(start * sourceType.SizeOf(), n * sourceType.SizeOf()), sourceType, tile[..n]);
            Narrow(tile[..n], destination.Slice(start * destinationType.SizeOf(), n * destinationType.SizeOf()), destinationType);
        }
    }

    public bool HasNonFinite(BufferSlice data, DType type, IStream? stream = null)
    {
        switch (type)
        {
            case DType.Float32:
                foreach (float value in data.AsSpan<float>())
                {
                    if (!float.IsFinite(value))
                    {
                        return true;
                    }
                }

                return false;
            default:
                // fp16 and bf16 are non-finite exactly when every exponent bit is set.
                ushort mask = type == DType.Float16 ? (ushort)0x7C00 : (ushort)0x7F80;
                foreach (ushort bits in data.AsSpan<ushort>())
                {
                    if ((bits & mask) == mask)
                    {
                        return true;
                    }
                }

                return false;
        }
    }

    /// <summary>Accumulates in double, element by element in index order.</summary>
    public double SumOfSquares(BufferSlice data, DType type, IStream? stream = null)
    {
        Span<float> tile = stackalloc float[Tile];
        long count = data.ByteLength / type.SizeOf();
        double sum = 0;
        for (long start = 0; start < count; start += Tile)
        {
            int n = (int)Math.Min(Tile, count - start);
            Widen(data.Slice(start * type.SizeOf(), n * type.SizeOf()), type, tile[..n]);
            foreach (float value in tile[..n])
            {
                sum += (double)value * value;
            }
        }

        return sum;
    }

    public void Adam(
        BufferSlice master, BufferSlice expAvg, BufferSlice expAvgSq, BufferSlice gradient, DType gradientType,
        BufferSlice parameter, DType parameterType, in AdamParameters parameters, IStream? stream = null) =>
        throw new NotSupportedException("Optimizer steps are provided by the host kernels, not by the chunk helpers.");

    public void Sgd(
        BufferSlice master, BufferSlice momentum, BufferSlice gradient, DType gradientType,
        BufferSlice parameter, DType parameterType, in SgdParameters parameters, IStream? stream = null) =>
        throw new NotSupportedException("Optimizer steps are provided by the host kernels, not by the chunk helpers.");

    private static void Widen(BufferSlice source, DType type, Span<float> destination)
    {
        switch (type)
        {
            case DType.Float32:
                source.AsSpan<float>().CopyTo(destination);
                break;
            case DType.Float16:
                TensorPrimitives.ConvertToSingle(source.AsSpan<Half>(), destination);
                break;
            default:
                var bits = source.AsSpan<ushort>();
                var wide = MemoryMarshal.Cast<float, uint>(destination);
                for (int i = 0; i < bits.Length; i++)
                {
                    wide[i] = (uint)bits[i] << 16;
                }

                break;
        }
    }

    private static void Narrow(ReadOnlySpan<float> source, BufferSlice destination, DType type)
    {
        switch (type)
        {
            case DType.Float32:
                source.CopyTo(destination.AsSpan<float>());
                break;
            case DType.Float16:
                TensorPrimitives.ConvertToHalf(source, destination.AsSpan<Half>());
                break;
            default:
                var narrow = destination.AsSpan<BFloat16>();
                for (int i = 0; i < source.Length; i++)
                {
                    narrow[i] = BFloat16.FromSingle(source[i]);
                }

                break;
        }
    }
}
