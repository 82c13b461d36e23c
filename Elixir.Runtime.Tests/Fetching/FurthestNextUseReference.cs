namespace Elixir.Runtime.Tests.Fetching;

/// <summary>
/// The number of chunk loads Belady's rule makes over a step list with a cache of <c>blocks</c> chunks, by plain
/// scans: a missing chunk evicts, when the cache is full, the cached chunk outside the current step whose next use
/// is furthest (never used again counts as furthest; ties evict the higher index).
/// </summary>
internal static class FurthestNextUseReference
{
    public static int Loads(int[][] steps, int blocks)
    {
        var cached = new List<int>();
        var loads = 0;
        for (var step = 0; step < steps.Length; step++)
        {
            foreach (var chunk in steps[step])
            {
                if (cached.Contains(chunk))
                {
                    continue;
                }

                if (cached.Count == blocks)
                {
                    var victim = cached
                        .Where(c => !steps[step].Contains(c))
                        .OrderByDescending(c => NextUse(steps, c, step))
                        .ThenByDescending(c => c)
                        .First();
                    cached.Remove(victim);
                }

                cached.Add(chunk);
                loads++;
            }
        }

        return loads;
    }

    private static int NextUse(int[][] steps, int chunk, int after)
    {
        for (var step = after + 1; step < steps.Length; step++)
        {
            if (steps[step].Contains(chunk))
            {
                return step;
            }
        }

        return steps.Length;
    }
}
