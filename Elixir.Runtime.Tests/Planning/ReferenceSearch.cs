namespace Elixir.Runtime.Tests.Planning;

/// <summary>
/// A plain transcription of upstream's search arithmetic (search range, waste loop, first fit), kept apart from
/// the runtime so tests compare two independent implementations.
/// </summary>
internal static class ReferenceSearch
{
    public static (long Min, long Max, long Interval) Range(long[] numels, int elementSize)
    {
        long maxBytes = numels.Max() * elementSize;
        long min = 32L << 20;
        while (min < maxBytes)
        {
            min *= 2;
        }

        long max = 3 * min;
        long pow = 1;
        while (pow < numels.Length)
        {
            pow *= 2;
        }

        long times = (16L << 20) / (2 * pow);
        long gap = max - min;
        long interval = times > gap / 1024 ? 1024 : gap / times;
        return (min / elementSize, max / elementSize, interval / elementSize);
    }

    public static long MinimumWasteSize(long[] numels, int elementSize)
    {
        var (min, max, interval) = Range(numels, elementSize);
        if (numels.Sum() <= min)
        {
            return numels.Sum();
        }

        long start = Math.Max(numels.Max(), min);
        long size = (start + interval - 1) / interval * interval;
        long best = size;
        long bestWaste = long.MaxValue;
        for (; size <= max; size += interval)
        {
            long waste = Waste(numels, size);
            if (waste < bestWaste)
            {
                best = size;
                bestWaste = waste;
            }
        }

        return best;
    }

    private static long Waste(long[] numels, long size)
    {
        long waste = 0;
        long left = 0;
        foreach (long n in numels)
        {
            if (n > left)
            {
                waste += left;
                left = size;
            }

            left -= n;
        }

        return waste + left;
    }

    /// <summary>The element counts in each chunk, in order.</summary>
    public static List<List<long>> FirstFit(long[] numels, long size)
    {
        var chunks = new List<List<long>>();
        long left = 0;
        foreach (long n in numels)
        {
            if (n > left)
            {
                chunks.Add([]);
                left = size;
            }

            chunks[^1].Add(n);
            left -= n;
        }

        return chunks;
    }
}
