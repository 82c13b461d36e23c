using Elixir.Chunks;
using Elixir.Fetching;
using Elixir.Memory;
using Elixir.Scheduling;

namespace Elixir.Engine;

/// <summary>
/// The engine's fetcher and its one swap: FIFO eviction without overlap while the first pass is profiled, then,
/// with prefetch on, a fetcher whose scheduler knows the profiled order (furthest next use, prefetch and overlapped
/// reduces on side streams). The counters carry over the swap.
/// </summary>
internal sealed class ProfiledFetcher : IDisposable
{
    private readonly ChunkGroup _group;
    private readonly IMemoryBackend _backend;
    private readonly bool _reduceInFp32;
    private long _retiredGathers;    // counters of the profiling fetcher, replaced once prefetch starts
    private long _retiredEvictions;
    private long _retiredReduces;

    public ProfiledFetcher(ChunkGroup group, IMemoryBackend backend, bool reduceInFp32)
    {
        _group = group;
        _backend = backend;
        _reduceInFp32 = reduceInFp32;
        Current = new ChunkFetcher(group, new FifoScheduler(group.Chunks.Count), backend, overlap: false, reduceInFp32);
    }

    /// <summary>The fetcher in use.</summary>
    public ChunkFetcher Current { get; private set; }

    /// <summary>Chunks gathered, evicted, reduced and prefetch hits so far, over both fetchers.</summary>
    public (long Gathers, long Evictions, long Reduces, long PrefetchHits) Counters =>
        (Current.Gathers + _retiredGathers, Current.Evictions + _retiredEvictions, Current.Reduces + _retiredReduces, Current.PrefetchHits);

    /// <summary>Replaces the profiling fetcher by one that prefetches along <paramref name="steps"/> (the chunks of each step).</summary>
    public void StartPrefetching(int[][] steps)
    {
        var fetcher = new ChunkFetcher(_group, new PrefetchScheduler(_group.Chunks.Count, steps), _backend, overlap: true, _reduceInFp32);
        _retiredGathers += Current.Gathers;
        _retiredEvictions += Current.Evictions;
        _retiredReduces += Current.Reduces;
        Current.Dispose();
        Current = fetcher;
    }

    /// <summary>
    /// Moves the module's tensors to compute and gathers their chunks; a refused gather (a full rCache) moves
    /// them back to the state they came from and throws.
    /// </summary>
    public void Gather(ModuleState module, ComputePhase phase)
    {
        Current.ToCompute(module.Group);
        try
        {
            Current.Gather(module.Group);
        }
        catch
        {
            Current.ToHold(module.Group, phase == ComputePhase.Backward && module.BackwardRuns > 0 ? ComputePhase.Backward : ComputePhase.Forward);
            throw;
        }
    }

    /// <summary>Frees the fetcher's streams and events.</summary>
    public void Dispose() => Current.Dispose();
}
