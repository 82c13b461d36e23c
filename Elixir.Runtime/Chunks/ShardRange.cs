namespace Elixir.Chunks;

/// <summary>
/// The part of a chunk one rank keeps: elements <c>[Begin, Begin + Count)</c> of the chunk, of which the first
/// <see cref="ValidCount"/> hold tensor data (the rest is padding after the last tensor).
/// </summary>
/// <param name="Begin">The first element of the shard within the chunk.</param>
/// <param name="Count">The shard size in elements (chunk size / world size).</param>
/// <param name="ValidCount">The elements of the shard that hold tensor data, in <c>[0, Count]</c>.</param>
public readonly record struct ShardRange(long Begin, long Count, long ValidCount)
{
    /// <summary>One past the last element of the shard within the chunk.</summary>
    public long End => Begin + Count;

    /// <summary>The shard of <paramref name="rank"/> when <paramref name="used"/> elements of the chunk hold tensors.</summary>
    public static ShardRange Of(long chunkSize, int worldSize, int rank, long used)
    {
        long count = chunkSize / worldSize;
        long begin = count * rank;
        return new ShardRange(begin, count, Math.Clamp(used - begin, 0, count));
    }
}
