using System.Runtime.CompilerServices;

namespace Elixir.Scheduling;

/// <summary>
/// Evicts the releasable chunk whose next use is furthest away (Belady's rule), from the chunks each step used
/// in a profiled iteration, and predicts the next chunk to prefetch. A chunk's next use is fixed when it is
/// added; ties go to the higher chunk index. Add, remove and top are O(log n) on an indexed heap sized at
/// construction.
/// </summary>
public sealed class PrefetchScheduler : ChunkScheduler
{
    private readonly StepChunkTable _steps;
    private readonly IndexedMaxHeap _releasable;
    private int _searchStep = -1;

    /// <summary>
    /// Creates the scheduler for chunks <c>0 .. chunkCount-1</c>; <paramref name="chunksPerStep"/> lists, for
    /// every compute step of one iteration in order, the chunks it uses.
    /// </summary>
    public PrefetchScheduler(int chunkCount, IEnumerable<IEnumerable<int>> chunksPerStep)
        : base(chunkCount)
    {
        _steps = new StepChunkTable(chunkCount, chunksPerStep);
        _releasable = new IndexedMaxHeap(chunkCount);
    }

    /// <summary>The number of profiled steps in one iteration.</summary>
    public int StepCount => _steps.StepCount;

    /// <inheritdoc/>
    public override int Count => _releasable.Count;

    /// <inheritdoc/>
    public override int Top => _releasable.Count == 0 ? NoChunk : _releasable.Max;

    /// <summary>The chunks step <paramref name="step"/> uses, each once.</summary>
    public ReadOnlySpan<int> ChunksAt(int step)
    {
        if ((uint)step >= (uint)StepCount)
        {
            ThrowBadStep(step);
        }

        return _steps.ChunksAt(step);
    }

    /// <summary>The first step after the current one that uses <paramref name="chunk"/>, or <see cref="StepCount"/>.</summary>
    public int NextUse(int chunk)
    {
        CheckChunk(chunk);
        return _steps.NextUseAfter(chunk, CurrentStep);
    }

    /// <inheritdoc/>
    public override int NextChunk(ReadOnlySpan<int> stepChunks)
    {
        // The search never moves back within an iteration: a chunk skipped once is in use or already predicted.
        _searchStep = Math.Max(_searchStep, CurrentStep + 1);
        for (; _searchStep < StepCount; _searchStep++)
        {
            foreach (var chunk in _steps.ChunksAt(_searchStep))
            {
                if (!stepChunks.Contains(chunk))
                {
                    return chunk;
                }
            }
        }

        return NoChunk;
    }

    /// <inheritdoc/>
    protected override bool ContainsCore(int chunk) => _releasable.Contains(chunk);

    /// <inheritdoc/>
    protected override void AddCore(int chunk) =>
        _releasable.Insert(chunk, ((long)_steps.NextUseAfter(chunk, CurrentStep) << 32) | (uint)chunk);

    /// <inheritdoc/>
    protected override void RemoveCore(int chunk) => _releasable.Remove(chunk);

    /// <inheritdoc/>
    protected override void ResetCore()
    {
        _releasable.Clear();
        _searchStep = -1;
    }

    /// <inheritdoc/>
    protected override void OnStepping(int nextStep)
    {
        if (nextStep >= StepCount)
        {
            ThrowPastProfile(nextStep);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowPastProfile(int step) =>
        throw new InvalidOperationException(
            $"PrefetchScheduler: step {step} is past the {StepCount} profiled steps of an iteration; the model ran " +
            "more compute steps than were profiled, so profile the step order again.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBadStep(int step) =>
        throw new ArgumentOutOfRangeException(nameof(step), step, $"PrefetchScheduler: step {step} is outside [0, {StepCount}).");
}
