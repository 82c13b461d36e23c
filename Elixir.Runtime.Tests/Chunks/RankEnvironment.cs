namespace Elixir.Tests.Chunks;

/// <summary>Where a chunk test's ranks run: the backend, kernels and communicator each rank gets.</summary>
internal abstract class RankEnvironment
{
    /// <summary>Buffers the last run left allocated, not counting the kernels' own scratch buffers.</summary>
    public abstract int LiveBuffers { get; }

    /// <summary>Runs <paramref name="body"/> on <paramref name="worldSize"/> rank threads; returns the results by rank.</summary>
    public abstract TResult[] Run<TResult>(int worldSize, Func<RankContext, TResult> body);

    public void Run(int worldSize, Action<RankContext> body) => Run(worldSize, rank =>
    {
        body(rank);
        return true;
    });
}
