namespace Elixir.Planning;

/// <summary>
/// The chunk sizes a search tries, in elements: from <see cref="Min"/> to <see cref="Max"/> in steps of
/// <see cref="Interval"/> (upstream <c>find_search_range</c>).
/// </summary>
internal readonly record struct SearchRange(long Min, long Max, long Interval)
{
    private const long MinimumChunkBytes = 32L * 1024 * 1024;
    private const long IterationBudget = 16L * 1024 * 1024;
    private const long MinimumIntervalBytes = 1024;

    /// <summary>The range for the public (single-use) parameters with <paramref name="numels"/> elements each.</summary>
    public static SearchRange For(ReadOnlySpan<long> numels, int elementSize)
    {
        long largestBytes = 0;
        foreach (long n in numels)
        {
            largestBytes = Math.Max(largestBytes, n * elementSize);
        }

        long min = MinimumChunkBytes;
        while (min < largestBytes)
        {
            min <<= 1;
        }

        long max = 3 * min;
        // Forward and backward each visit every parameter, so a search step costs about twice the padded count.
        long stepCost = 2 * NextPowerOfTwo(numels.Length);
        long searchTimes = IterationBudget / stepCost;
        long gap = max - min;
        long interval = searchTimes > gap / MinimumIntervalBytes ? MinimumIntervalBytes : gap / searchTimes;
        return new SearchRange(min / elementSize, max / elementSize, interval / elementSize);
    }

    /// <summary>The first size tried: the larger of the largest parameter and the minimum, rounded up to the interval.</summary>
    public long FirstSize(long largestNumel) => ChunkMath.RoundUp(Math.Max(largestNumel, Min), Interval);

    private static long NextPowerOfTwo(long x)
    {
        long y = 1;
        while (y < x)
        {
            y <<= 1;
        }

        return y;
    }
}
