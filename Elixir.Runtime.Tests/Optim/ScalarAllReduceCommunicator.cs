using Elixir.Collectives;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Runtime.Tests.Optim;

/// <summary>
/// Ranks on threads that share only the scalar all-reduce, enough to test code that reduces norms and flags.
/// Every other collective is outside what these tests exercise.
/// </summary>
internal sealed class ScalarAllReduceCommunicator : ICommunicator
{
    private readonly Shared _shared;

    private ScalarAllReduceCommunicator(Shared shared, int rank)
    {
        _shared = shared;
        Rank = rank;
    }

    public int Rank { get; }

    public int WorldSize => _shared.Values.Length;

    /// <summary>Runs <paramref name="body"/> once per rank, each on its own thread, and returns the results by rank.</summary>
    public static T[] Run<T>(int worldSize, Func<ICommunicator, T> body)
    {
        var shared = new Shared(worldSize);
        var results = new T[worldSize];
        Thread[] threads = Enumerable.Range(0, worldSize)
            .Select(r => new Thread(() => results[r] = body(new ScalarAllReduceCommunicator(shared, r))))
            .ToArray();
        Array.ForEach(threads, t => t.Start());
        Array.ForEach(threads, t => Assert.True(t.Join(TimeSpan.FromSeconds(30)), "a rank did not finish"));
        return results;
    }

    public double AllReduce(double value, ReduceOp op)
    {
        _shared.Values[Rank] = value;
        _shared.Barrier.SignalAndWait();
        double result = op switch
        {
            ReduceOp.Sum => _shared.Values.Aggregate(0.0, (a, b) => a + b),
            ReduceOp.Average => _shared.Values.Aggregate(0.0, (a, b) => a + b) / WorldSize,
            _ => _shared.Values.Max(),
        };
        _shared.Barrier.SignalAndWait();
        return result;
    }

    public void AllGather(BufferSlice send, BufferSlice receive, DType type, IStream? stream = null) => throw new NotSupportedException();

    public void ReduceScatter(BufferSlice send, BufferSlice receive, DType type, ReduceOp op, IStream? stream = null) => throw new NotSupportedException();

    public void AllReduce(BufferSlice send, BufferSlice receive, DType type, ReduceOp op, IStream? stream = null) => throw new NotSupportedException();

    public void Broadcast(BufferSlice buffer, DType type, int root, IStream? stream = null) => throw new NotSupportedException();

    public void Barrier() => _shared.Barrier.SignalAndWait();

    public void Dispose()
    {
    }

    private sealed class Shared(int worldSize)
    {
        public double[] Values { get; } = new double[worldSize];

        public System.Threading.Barrier Barrier { get; } = new(worldSize);
    }
}
