using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Kernels.Host;

/// <summary>
/// <see cref="IKernels"/> on host memory: single-threaded SIMD C#, synchronous (the stream argument is ignored
/// because host work is complete when the call returns). 16-bit data is widened to fp32 in blocks on the stack,
/// so every call makes one pass over memory and allocates nothing. Results never depend on thread counts.
/// </summary>
public sealed class HostKernels : IKernels
{
    /// <summary>Elements per stack block; a multiple of every vector width.</summary>
    internal const int BlockElements = 1024;

    /// <inheritdoc/>
    public void Scale(BufferSlice data, DType type, float factor, IStream? stream = null)
    {
        Span<byte> bytes = data.AsSpan<byte>();
        CheckWhole(bytes.Length, type, nameof(data));
        if (type == DType.Float32)
        {
            Span<float> values = MemoryMarshal.Cast<byte, float>(bytes);
            System.Numerics.Tensors.TensorPrimitives.Multiply(values, factor, values);
            return;
        }

        Span<float> block = stackalloc float[BlockElements];
        int elementSize = type.SizeOf();
        for (int start = 0; start < bytes.Length; start += BlockElements * elementSize)
        {
            Span<byte> chunk = bytes.Slice(start, Math.Min(BlockElements * elementSize, bytes.Length - start));
            Span<float> widened = block[..(chunk.Length / elementSize)];
            HostConversions.ToSingle(chunk, type, widened);
            System.Numerics.Tensors.TensorPrimitives.Multiply(widened, factor, widened);
            HostConversions.FromSingle(widened, chunk, type);
        }
    }

    /// <inheritdoc/>
    public void Cast(BufferSlice source, DType sourceType, BufferSlice destination, DType destinationType, IStream? stream = null)
    {
        ReadOnlySpan<byte> src = source.AsSpan<byte>();
        Span<byte> dst = destination.AsSpan<byte>();
        long count = CheckWhole(src.Length, sourceType, nameof(source));
        CheckCount(destination.ByteLength, destinationType, count, nameof(destination));
        if (sourceType == DType.Float32)
        {
            HostConversions.FromSingle(MemoryMarshal.Cast<byte, float>(src), dst, destinationType);
            return;
        }

        if (destinationType == DType.Float32)
        {
            HostConversions.ToSingle(src, sourceType, MemoryMarshal.Cast<byte, float>(dst));
            return;
        }

        Span<float> block = stackalloc float[BlockElements];
        int sourceSize = sourceType.SizeOf();
        int destinationSize = destinationType.SizeOf();
        for (int start = 0; start < count; start += BlockElements)
        {
            int n = (int)Math.Min(BlockElements, count - start);
            Span<float> widened = block[..n];
            HostConversions.ToSingle(src.Slice(start * sourceSize, n * sourceSize), sourceType, widened);
            HostConversions.FromSingle(widened, dst.Slice(start * destinationSize, n * destinationSize), destinationType);
        }
    }

    /// <inheritdoc/>
    public bool HasNonFinite(BufferSlice data, DType type, IStream? stream = null)
    {
        CheckWhole(data.ByteLength, type, nameof(data));
        return HostReductions.HasNonFinite(data.AsSpan<byte>(), type);
    }

    /// <inheritdoc/>
    public double SumOfSquares(BufferSlice data, DType type, IStream? stream = null)
    {
        CheckWhole(data.ByteLength, type, nameof(data));
        return HostReductions.SumOfSquares(data.AsSpan<byte>(), type);
    }

    /// <inheritdoc/>
    public void AccumulateNonFinite(BufferSlice data, DType type, BufferSlice flag, IStream? stream = null)
    {
        Span<uint> target = FlagOf(flag);
        if (HasNonFinite(data, type, stream))
        {
            target[0] = 1;
        }
    }

    /// <inheritdoc/>
    public void QueueSumOfSquares(BufferSlice data, DType type, BufferSlice partials, IStream? stream = null)
    {
        Span<double> target = PartialsOf(partials);
        target.Clear();
        target[0] = SumOfSquares(data, type, stream);
    }

    /// <inheritdoc/>
    public void Adam(
        BufferSlice master, BufferSlice expAvg, BufferSlice expAvgSq,
        BufferSlice gradient, DType gradientType,
        BufferSlice parameter, DType parameterType,
        in AdamParameters parameters, IStream? stream = null)
    {
        long count = CheckWhole(master.ByteLength, DType.Float32, nameof(master));
        CheckCount(expAvg.ByteLength, DType.Float32, count, nameof(expAvg));
        CheckCount(expAvgSq.ByteLength, DType.Float32, count, nameof(expAvgSq));
        CheckCount(gradient.ByteLength, gradientType, count, nameof(gradient));
        bool writeParameter = parameter.ByteLength != 0;
        if (writeParameter)
        {
            CheckCount(parameter.ByteLength, parameterType, count, nameof(parameter));
        }

        if (parameters.Step < 1)
        {
            ThrowBadStep(parameters.Step);
        }

        var update = new HostAdam(parameters);
        Span<float> p = master.AsSpan<float>();
        Span<float> m = expAvg.AsSpan<float>();
        Span<float> v = expAvgSq.AsSpan<float>();
        Span<float> block = stackalloc float[BlockElements];
        int gradientSize = gradientType.SizeOf();
        int parameterSize = parameterType.SizeOf();
        for (int start = 0; start < count; start += BlockElements)
        {
            int n = (int)Math.Min(BlockElements, count - start);
            Span<byte> gradientBytes = gradient.Slice((long)start * gradientSize, (long)n * gradientSize).AsSpan<byte>();
            ReadOnlySpan<float> gradientBlock = Widen(gradientBytes, gradientType, block);
            Span<float> masterBlock = p.Slice(start, n);
            update.Apply(masterBlock, m.Slice(start, n), v.Slice(start, n), gradientBlock);
            if (writeParameter)
            {
                HostConversions.FromSingle(
                    masterBlock, parameter.Slice((long)start * parameterSize, (long)n * parameterSize).AsSpan<byte>(), parameterType);
            }
        }
    }

    /// <inheritdoc/>
    public void Sgd(
        BufferSlice master, BufferSlice momentum,
        BufferSlice gradient, DType gradientType,
        BufferSlice parameter, DType parameterType,
        in SgdParameters parameters, IStream? stream = null)
    {
        long count = CheckWhole(master.ByteLength, DType.Float32, nameof(master));
        var update = new HostSgd(parameters);
        if (update.UsesMomentum)
        {
            CheckCount(momentum.ByteLength, DType.Float32, count, nameof(momentum));
        }

        CheckCount(gradient.ByteLength, gradientType, count, nameof(gradient));
        bool writeParameter = parameter.ByteLength != 0;
        if (writeParameter)
        {
            CheckCount(parameter.ByteLength, parameterType, count, nameof(parameter));
        }

        Span<float> p = master.AsSpan<float>();
        Span<float> b = update.UsesMomentum ? momentum.AsSpan<float>() : default;
        Span<float> block = stackalloc float[BlockElements];
        int gradientSize = gradientType.SizeOf();
        int parameterSize = parameterType.SizeOf();
        for (int start = 0; start < count; start += BlockElements)
        {
            int n = (int)Math.Min(BlockElements, count - start);
            Span<byte> gradientBytes = gradient.Slice((long)start * gradientSize, (long)n * gradientSize).AsSpan<byte>();
            ReadOnlySpan<float> gradientBlock = Widen(gradientBytes, gradientType, block);
            Span<float> masterBlock = p.Slice(start, n);
            update.Apply(masterBlock, update.UsesMomentum ? b.Slice(start, n) : default, gradientBlock);
            if (writeParameter)
            {
                HostConversions.FromSingle(
                    masterBlock, parameter.Slice((long)start * parameterSize, (long)n * parameterSize).AsSpan<byte>(), parameterType);
            }
        }
    }

    /// <summary>
    /// fp32 gradients are used in place; 16-bit ones are widened into <paramref name="block"/>. Gradients and
    /// parameters are sliced per block, so their byte length is not limited to what one span can address.
    /// </summary>
    private static ReadOnlySpan<float> Widen(Span<byte> gradient, DType type, Span<float> block)
    {
        if (type == DType.Float32)
        {
            return MemoryMarshal.Cast<byte, float>(gradient);
        }

        Span<float> widened = block[..(gradient.Length / type.SizeOf())];
        HostConversions.ToSingle(gradient, type, widened);
        return widened;
    }

    private static long CheckWhole(long byteLength, DType type, string name)
    {
        int size = type.SizeOf();
        if (byteLength % size != 0)
        {
            ThrowNotWhole(name, byteLength, type);
        }

        return byteLength / size;
    }

    private static void CheckCount(long byteLength, DType type, long expected, string name)
    {
        if (byteLength != expected * type.SizeOf())
        {
            ThrowCountMismatch(name, byteLength, type, expected);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotWhole(string name, long byteLength, DType type) =>
        throw new ArgumentException($"Slice '{name}' of {byteLength} bytes is not a whole number of {type} elements.", name);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowCountMismatch(string name, long byteLength, DType type, long expected) =>
        throw new ArgumentException(
            $"Slice '{name}' holds {byteLength} bytes but {expected} {type} elements need {expected * type.SizeOf()}.", name);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBadStep(int step) =>
        throw new ArgumentOutOfRangeException(nameof(AdamParameters.Step), step, "Adam step numbers start at 1.");

    private static Span<uint> FlagOf(BufferSlice flag) => flag.ByteLength == sizeof(uint)
        ? flag.AsSpan<uint>()
        : throw new ArgumentException($"An overflow flag is {sizeof(uint)} bytes, not {flag.ByteLength}.", nameof(flag));

    private static Span<double> PartialsOf(BufferSlice partials) => partials.ByteLength == Chunks.ReduceStatistics.PartialSums * sizeof(double)
        ? partials.AsSpan<double>()
        : throw new ArgumentException(
            $"Partial sums of squares take {Chunks.ReduceStatistics.PartialSums * sizeof(double)} bytes, not {partials.ByteLength}.", nameof(partials));
}
