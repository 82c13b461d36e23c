using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Elixir.Numerics;

namespace Elixir.Collectives.Host;

/// <summary>
/// Element-wise reduction of the ranks' buffers in rank order 0..N-1, so the result does not depend on thread
/// timing. fp16 and bf16 are widened to fp32, reduced, and rounded once. Works tile by tile through a stack
/// buffer: every source tile is read before the destination tile is written, so the destination may be one of
/// the sources.
/// </summary>
internal static unsafe class HostReduction
{
    private const int Tile = 2048;

    public static void Reduce(ReadOnlySpan<nint> sources, nint destination, long count, DType type, ReduceOp op)
    {
        Span<float> accumulator = stackalloc float[Tile];
        Span<float> operand = stackalloc float[Tile];
        int size = type.SizeOf();
        for (long start = 0; start < count; start += Tile)
        {
            int n = (int)Math.Min(Tile, count - start);
            var acc = accumulator[..n];
            var other = operand[..n];
            long byteOffset = start * size;
            Widen(sources[0] + (nint)byteOffset, acc, type);
            for (int k = 1; k < sources.Length; k++)
            {
                Widen(sources[k] + (nint)byteOffset, other, type);
                if (op == ReduceOp.Max)
                {
                    TensorPrimitives.Max(acc, other, acc);
                }
                else
                {
                    TensorPrimitives.Add(acc, other, acc);
                }
            }

            if (op == ReduceOp.Average)
            {
                TensorPrimitives.Divide(acc, sources.Length, acc);
            }

            Narrow(acc, destination + (nint)byteOffset, type);
        }
    }

    public static double Reduce(ReadOnlySpan<RankSlot> slots, ReduceOp op)
    {
        double result = slots[0].Scalar;
        for (int k = 1; k < slots.Length; k++)
        {
            result = op == ReduceOp.Max ? Math.Max(result, slots[k].Scalar) : result + slots[k].Scalar;
        }

        return op == ReduceOp.Average ? result / slots.Length : result;
    }

    private static void Widen(nint source, Span<float> destination, DType type)
    {
        switch (type)
        {
            case DType.Float32:
                new ReadOnlySpan<float>((void*)source, destination.Length).CopyTo(destination);
                break;
            case DType.Float16:
                TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>((void*)source, destination.Length), destination);
                break;
            default:
                var bits = new ReadOnlySpan<ushort>((void*)source, destination.Length);
                var wide = MemoryMarshal.Cast<float, uint>(destination);
                for (int i = 0; i < bits.Length; i++)
                {
                    wide[i] = (uint)bits[i] << 16;
                }

                break;
        }
    }

    private static void Narrow(ReadOnlySpan<float> source, nint destination, DType type)
    {
        switch (type)
        {
            case DType.Float32:
                source.CopyTo(new Span<float>((void*)destination, source.Length));
                break;
            case DType.Float16:
                TensorPrimitives.ConvertToHalf(source, new Span<Half>((void*)destination, source.Length));
                break;
            default:
                var narrow = new Span<BFloat16>((void*)destination, source.Length);
                for (int i = 0; i < source.Length; i++)
                {
                    narrow[i] = BFloat16.FromSingle(source[i]);
                }

                break;
        }
    }
}
