namespace Elixir.Planning;

/// <summary>The chunk size that leaves the fewest unused elements (upstream <c>find_minimum_waste_size</c>).</summary>
internal static class MinimumWasteSearch
{
    /// <summary>
    /// Tries every size of <paramref name="range"/> and returns the one with the least waste; on a tie the
    /// smaller size stays. All parameters in one chunk when they total no more than the minimum.
    /// </summary>
    public static (long Size, long Waste) Find(ReadOnlySpan<long> numels, SearchRange range)
    {
        long total = 0;
        long largest = 0;
        foreach (long n in numels)
        {
            total += n;
            largest = Math.Max(largest, n);
        }

        if (total <= range.Min)
        {
            return (total, 0);
        }

        long size = range.FirstSize(largest);
        long bestSize = size;
        long bestWaste = long.MaxValue;
        for (; size <= range.Max; size += range.Interval)
        {
            long waste = Waste(numels, size);
            if (waste < bestWaste)
            {
                bestSize = size;
                bestWaste = waste;
            }
        }

        return (bestSize, bestWaste);
    }

    private static long Waste(ReadOnlySpan<long> numels, long size)
    {
        long wasted = 0;
        long left = 0;
        foreach (long n in numels)
        {
            if (n > left)
            {
                wasted += left;
                left = size;
            }

            left -= n;
        }

        return wasted + left;
    }
}
