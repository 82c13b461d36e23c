using Elixir.Collectives;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Runtime.Tests.Streams;

/// <summary>A communicator over another one that logs the stream of every collective on buffers.</summary>
internal sealed class StreamRecordingCommunicator(ICommunicator inner, StreamLog log) : ICommunicator
{
    public int Rank => inner.Rank;

    public int WorldSize => inner.WorldSize;

    public void AllGather(BufferSlice send, BufferSlice receive, DType type, IStream? stream = null)
    {
        log.Add("all-gather", stream, receive, send);
        inner.AllGather(send, receive, type, stream);
    }

    public void ReduceScatter(BufferSlice send, BufferSlice receive, DType type, ReduceOp op, IStream? stream = null)
    {
        log.Add("reduce-scatter", stream, receive, send);
        inner.ReduceScatter(send, receive, type, op, stream);
    }

    public void AllReduce(BufferSlice send, BufferSlice receive, DType type, ReduceOp op, IStream? stream = null)
    {
        log.Add("all-reduce", stream, receive, send);
        inner.AllReduce(send, receive, type, op, stream);
    }

    public double AllReduce(double value, ReduceOp op) => inner.AllReduce(value, op);

    public void Broadcast(BufferSlice buffer, DType type, int root, IStream? stream = null)
    {
        log.Add("broadcast", stream, buffer, buffer);
        inner.Broadcast(buffer, type, root, stream);
    }

    public void Barrier() => inner.Barrier();

    public void Dispose()
    {
    }
}
