using System.Runtime.CompilerServices;

namespace Elixir.Scheduling;

/// <summary>
/// Keeps the set of releasable chunks (gathered, with no tensor computing) and says which one to evict first.
/// Chunks are named by their index in <c>[0, ChunkCount)</c>, so a scheduler knows nothing of what a chunk holds.
/// Every operation is O(log n) or better and allocates nothing; the storage is sized at construction.
/// </summary>
public abstract class ChunkScheduler
{
    /// <summary>The value <see cref="Top"/> and <see cref="NextChunk"/> return when there is no chunk.</summary>
    public const int NoChunk = -1;

    /// <summary>Creates a scheduler for chunks <c>0 .. chunkCount-1</c>.</summary>
    protected ChunkScheduler(int chunkCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunkCount);
        ChunkCount = chunkCount;
        CurrentStep = -1;
    }

    /// <summary>The number of chunks the scheduler can hold.</summary>
    public int ChunkCount { get; }

    /// <summary>The compute step in progress; -1 before the first <see cref="Step"/> of an iteration.</summary>
    public int CurrentStep { get; private set; }

    /// <summary>The number of releasable chunks held now.</summary>
    public abstract int Count { get; }

    /// <summary>The chunk to evict first, or <see cref="NoChunk"/> when nothing is releasable.</summary>
    public abstract int Top { get; }

    /// <summary>True when <paramref name="chunk"/> is held as releasable.</summary>
    public bool Contains(int chunk)
    {
        CheckChunk(chunk);
        return ContainsCore(chunk);
    }

    /// <summary>Marks <paramref name="chunk"/> releasable; false (and nothing changes) when it already is.</summary>
    public bool Add(int chunk)
    {
        CheckChunk(chunk);
        if (ContainsCore(chunk))
        {
            return false;
        }

        AddCore(chunk);
        return true;
    }

    /// <summary>Takes <paramref name="chunk"/> out of the releasable set; false (and nothing changes) when it is absent.</summary>
    public bool Remove(int chunk)
    {
        CheckChunk(chunk);
        if (!ContainsCore(chunk))
        {
            return false;
        }

        RemoveCore(chunk);
        return true;
    }

    /// <summary>Advances to the next compute step.</summary>
    public void Step()
    {
        OnStepping(CurrentStep + 1);
        CurrentStep++;
    }

    /// <summary>
    /// The chunk worth gathering ahead of time: the first chunk, from the next step on, that is not in
    /// <paramref name="stepChunks"/> (the chunks of the step now computing). <see cref="NoChunk"/> when the
    /// scheduler cannot predict.
    /// </summary>
    public virtual int NextChunk(ReadOnlySpan<int> stepChunks) => NoChunk;

    /// <summary>Empties the releasable set and goes back to before the first step; called before each iteration.</summary>
    public void Reset()
    {
        ResetCore();
        CurrentStep = -1;
    }

    /// <summary>
    /// Ends an iteration: every chunk must have been released or reduced by now, so a chunk still held is an error
    /// (and nothing changes). Otherwise the same as <see cref="Reset"/>.
    /// </summary>
    public void Clear()
    {
        if (Count != 0)
        {
            ThrowNotEmpty();
        }

        Reset();
    }

    /// <summary>True when <paramref name="chunk"/> (already range-checked) is held.</summary>
    protected abstract bool ContainsCore(int chunk);

    /// <summary>Inserts <paramref name="chunk"/>, known to be absent.</summary>
    protected abstract void AddCore(int chunk);

    /// <summary>Takes out <paramref name="chunk"/>, known to be present.</summary>
    protected abstract void RemoveCore(int chunk);

    /// <summary>Empties the releasable set.</summary>
    protected abstract void ResetCore();

    /// <summary>Called before the step counter moves to <paramref name="nextStep"/>; may refuse by throwing.</summary>
    protected virtual void OnStepping(int nextStep)
    {
    }

    /// <summary>Throws naming the scheduler and the range when <paramref name="chunk"/> is not a chunk index.</summary>
    protected void CheckChunk(int chunk)
    {
        if ((uint)chunk >= (uint)ChunkCount)
        {
            ThrowBadChunk(chunk);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBadChunk(int chunk) =>
        throw new ArgumentOutOfRangeException(
            nameof(chunk), chunk, $"{GetType().Name}: chunk {chunk} is outside [0, {ChunkCount}).");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNotEmpty() =>
        throw new InvalidOperationException(
            $"{GetType().Name}: cannot clear at step {CurrentStep}, {Count} chunk(s) are still releasable " +
            $"(first to evict: chunk {Top}); release or reduce them first.");
}
