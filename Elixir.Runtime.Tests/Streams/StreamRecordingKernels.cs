using Elixir.Kernels;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Runtime.Tests.Streams;

/// <summary>Kernels over other ones that log the stream of every call.</summary>
internal sealed class StreamRecordingKernels(IKernels inner, StreamLog log) : IKernels
{
    public void Scale(BufferSlice data, DType type, float factor, IStream? stream = null)
    {
        log.Add("scale", stream, data, data);
        inner.Scale(data, type, factor, stream);
    }

    public void Cast(BufferSlice source, DType sourceType, BufferSlice destination, DType destinationType, IStream? stream = null)
    {
        log.Add("cast", stream, destination, source);
        inner.Cast(source, sourceType, destination, destinationType, stream);
    }

    public bool HasNonFinite(BufferSlice data, DType type, IStream? stream = null)
    {
        log.Add("has-non-finite", stream, data, data);
        return inner.HasNonFinite(data, type, stream);
    }

    public double SumOfSquares(BufferSlice data, DType type, IStream? stream = null)
    {
        log.Add("sum-of-squares", stream, data, data);
        return inner.SumOfSquares(data, type, stream);
    }

    public void AccumulateNonFinite(BufferSlice data, DType type, BufferSlice flag, IStream? stream = null)
    {
        log.Add("accumulate-non-finite", stream, flag, data);
        inner.AccumulateNonFinite(data, type, flag, stream);
    }

    public void QueueSumOfSquares(BufferSlice data, DType type, BufferSlice partials, IStream? stream = null)
    {
        log.Add("queue-sum-of-squares", stream, partials, data);
        inner.QueueSumOfSquares(data, type, partials, stream);
    }

    public void Adam(
        BufferSlice master, BufferSlice expAvg, BufferSlice expAvgSq,
        BufferSlice gradient, DType gradientType,
        BufferSlice parameter, DType parameterType,
        in AdamParameters parameters, IStream? stream = null)
    {
        log.Add("adam", stream, master, gradient);
        inner.Adam(master, expAvg, expAvgSq, gradient, gradientType, parameter, parameterType, parameters, stream);
    }

    public void Sgd(
        BufferSlice master, BufferSlice momentum,
        BufferSlice gradient, DType gradientType,
        BufferSlice parameter, DType parameterType,
        in SgdParameters parameters, IStream? stream = null)
    {
        log.Add("sgd", stream, master, gradient);
        inner.Sgd(master, momentum, gradient, gradientType, parameter, parameterType, parameters, stream);
    }
}
