using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Kernels;

/// <summary>
/// The element-wise work the runtime does itself. Host: SIMD C#. CUDA: PTX kernels. Lengths are in elements
/// and taken from the slices; all slices of one call hold the same element count.
/// </summary>
public interface IKernels
{
    /// <summary>Multiplies every element by <paramref name="factor"/> in place.</summary>
    void Scale(BufferSlice data, DType type, float factor, IStream? stream = null);

    /// <summary>Converts <paramref name="source"/> to <paramref name="destinationType"/> (round to nearest even).</summary>
    void Cast(BufferSlice source, DType sourceType, BufferSlice destination, DType destinationType, IStream? stream = null);

    /// <summary>True when any element is NaN or infinite. Waits for <paramref name="stream"/>.</summary>
    bool HasNonFinite(BufferSlice data, DType type, IStream? stream = null);

    /// <summary>
    /// The sum of squares of the elements: each element widened to fp32, squared and accumulated in double (exact
    /// squares, so only the additions round), in a fixed order. Waits for <paramref name="stream"/>.
    /// </summary>
    double SumOfSquares(BufferSlice data, DType type, IStream? stream = null);

    /// <summary>
    /// Queues the overflow check of <paramref name="data"/> on <paramref name="stream"/>: sets the 4-byte
    /// <paramref name="flag"/> to a non-zero value when any element is NaN or infinite and leaves it unchanged
    /// otherwise, so one flag accumulates over many calls. Waits for nothing.
    /// </summary>
    void AccumulateNonFinite(BufferSlice data, DType type, BufferSlice flag, IStream? stream = null);

    /// <summary>
    /// Queues the sum of squares of <paramref name="data"/> on <paramref name="stream"/> as
    /// <see cref="Chunks.ReduceStatistics.PartialSums"/> partial sums (doubles) written to <paramref name="partials"/>;
    /// adding them in index order gives exactly <see cref="SumOfSquares"/>. Waits for nothing.
    /// </summary>
    void QueueSumOfSquares(BufferSlice data, DType type, BufferSlice partials, IStream? stream = null);

    /// <summary>
    /// One fused Adam/AdamW step over fp32 <paramref name="master"/>, <paramref name="expAvg"/> and
    /// <paramref name="expAvgSq"/> with <paramref name="gradient"/> of <paramref name="gradientType"/>; writes the
    /// new master values, rounded to <paramref name="parameterType"/>, to <paramref name="parameter"/> unless it is
    /// empty (offloaded shards are refreshed later).
    /// </summary>
    void Adam(
        BufferSlice master, BufferSlice expAvg, BufferSlice expAvgSq,
        BufferSlice gradient, DType gradientType,
        BufferSlice parameter, DType parameterType,
        in AdamParameters parameters, IStream? stream = null);

    /// <summary>One fused SGD-with-momentum step; the same conventions as <see cref="Adam"/>.</summary>
    void Sgd(
        BufferSlice master, BufferSlice momentum,
        BufferSlice gradient, DType gradientType,
        BufferSlice parameter, DType parameterType,
        in SgdParameters parameters, IStream? stream = null);
}
