using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Collectives;

/// <summary>
/// The collectives a rank takes part in. Every rank calls the same collectives in the same order. When one rank
/// fails, the others get an exception (never a hang) that reports the original error.
/// </summary>
public interface ICommunicator : IDisposable
{
    /// <summary>This rank, in <c>[0, WorldSize)</c>.</summary>
    int Rank { get; }

    /// <summary>The number of ranks.</summary>
    int WorldSize { get; }

    /// <summary>
    /// Gathers every rank's <paramref name="send"/> into <paramref name="receive"/> in rank order;
    /// <c>receive</c> is <see cref="WorldSize"/> times the size of <c>send</c>. <c>send</c> may alias this
    /// rank's part of <c>receive</c>.
    /// </summary>
    void AllGather(BufferSlice send, BufferSlice receive, DType type, IStream? stream = null);

    /// <summary>
    /// Reduces every rank's <paramref name="send"/> with <paramref name="op"/> and leaves part <c>Rank</c> of the
    /// result in <paramref name="receive"/>; <c>send</c> is <see cref="WorldSize"/> times the size of <c>receive</c>.
    /// </summary>
    void ReduceScatter(BufferSlice send, BufferSlice receive, DType type, ReduceOp op, IStream? stream = null);

    /// <summary>Reduces every rank's <paramref name="send"/> into every rank's <paramref name="receive"/> (may be the same slice).</summary>
    void AllReduce(BufferSlice send, BufferSlice receive, DType type, ReduceOp op, IStream? stream = null);

    /// <summary>Reduces one scalar over the ranks and returns the result on every rank.</summary>
    double AllReduce(double value, ReduceOp op);

    /// <summary>Copies <paramref name="buffer"/> of rank <paramref name="root"/> into every other rank's <paramref name="buffer"/>.</summary>
    void Broadcast(BufferSlice buffer, DType type, int root, IStream? stream = null);

    /// <summary>Returns once every rank has called it.</summary>
    void Barrier();
}
