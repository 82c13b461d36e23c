using Elixir.Scheduling;

namespace Elixir.Runtime.Tests.Scheduling;

public sealed class PrefetchSchedulerTests
{
    // Upstream's exam_prefetch profile: uses of chunk 0 at 0,3,4,9; chunk 1 at 1,5,8; chunk 2 at 2,6,7.
    private static readonly int[][] Profile = [[0], [1], [2], [0], [0], [1], [2], [2], [1], [0]];

    [Fact]
    public void Top_IsTheFurthestNextUse_InUpstreamsWalk()
    {
        // Each expected top follows from the next uses listed above, fixed when the chunk is added.
        var s = new PrefetchScheduler(3, Profile);
        s.Reset();

        s.Step(); s.Add(0); Assert.Equal(0, s.Top);                     // 0 -> 3
        s.Step(); s.Add(1); Assert.Equal(1, s.Top);                     // 1 -> 5
        s.Step(); s.Add(2); Assert.Equal(2, s.Top);                     // 2 -> 6
        s.Remove(0); s.Step(); s.Add(0); Assert.Equal(2, s.Top);        // 0 -> 4
        s.Remove(0); s.Step(); s.Add(0); Assert.Equal(0, s.Top);        // 0 -> 9
        s.Remove(0);
        s.Remove(1); s.Step(); s.Add(1); Assert.Equal(1, s.Top);        // 1 -> 8 beats 2 -> 6
        s.Remove(2); s.Step(); s.Add(2); Assert.Equal(1, s.Top);        // 2 -> 7
        s.Remove(2); s.Step(); s.Add(2); Assert.Equal(2, s.Top);        // 2 -> never (10)
        s.Remove(2); s.Add(0);                                          // 0 -> 9
        s.Remove(1); s.Step(); s.Add(1); Assert.Equal(1, s.Top);        // 1 -> never beats 0 -> 9
        s.Remove(1);
        s.Remove(0); s.Step(); s.Add(0); Assert.Equal(0, s.Top);        // 0 -> never
        s.Remove(0);
        s.Clear();
        Assert.Equal(-1, s.CurrentStep);
    }

    [Fact]
    public void NextChunk_WalksAheadToTheFirstChunkNotInUse()
    {
        var s = new PrefetchScheduler(3, Profile);
        s.Reset();
        // (chunks of the current step, expected prediction), worked out by scanning the profile by hand.
        (int[] Current, int Expected)[] walk =
        [
            ([0], 1), ([1], 2), ([2], 0), ([0], 1), ([0], 1),
            ([1], 2), ([2], 1), ([2], 1), ([1], 0), ([0], ChunkScheduler.NoChunk),
        ];
        foreach (var (current, expected) in walk)
        {
            s.Step();
            Assert.Equal(expected, s.NextChunk(current));
            Assert.Equal(expected, s.NextChunk(current));
        }
    }

    [Fact]
    public void StepPastTheProfile_ThrowsSayingSo_AndKeepsTheStep()
    {
        var s = new PrefetchScheduler(3, Profile);
        for (var i = 0; i < Profile.Length; i++)
        {
            s.Step();
        }

        var error = Assert.Throws<InvalidOperationException>(s.Step);

        Assert.Contains("step 10 is past the 10 profiled steps", error.Message, StringComparison.Ordinal);
        Assert.Equal(9, s.CurrentStep);
        s.Reset();
        s.Step();
        Assert.Equal(0, s.CurrentStep);
    }

    [Fact]
    public void ProfileWithAChunkOutsideTheRange_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PrefetchScheduler(2, [[0], [1, 2]]));
        Assert.Contains("Step 1 uses chunk 2, outside [0, 2)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RepeatedChunksInAStep_CountOnce()
    {
        var s = new PrefetchScheduler(3, [[2, 0, 2, 0], [1]]);
        Assert.Equal([2, 0], s.ChunksAt(0).ToArray());
        Assert.Equal([1], s.ChunksAt(1).ToArray());
    }

    [Fact]
    public void RandomOperations_MatchABruteForceFurthestNextUse()
    {
        const int chunks = 12;
        const int steps = 60;
        var random = new Random(42);
        var profile = new int[steps][];
        for (var i = 0; i < steps; i++)
        {
            profile[i] = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => random.Next(chunks)).ToArray();
        }

        var s = new PrefetchScheduler(chunks, profile);
        for (var iteration = 0; iteration < 3; iteration++)
        {
            s.Reset();
            var reference = new Dictionary<int, int>(); // chunk -> step it was added at
            for (var step = 0; step < steps; step++)
            {
                s.Step();
                for (var op = 0; op < 6; op++)
                {
                    var chunk = random.Next(chunks);
                    if (random.Next(2) == 0)
                    {
                        Assert.Equal(reference.TryAdd(chunk, step), s.Add(chunk));
                    }
                    else
                    {
                        Assert.Equal(reference.Remove(chunk), s.Remove(chunk));
                    }

                    Assert.Equal(BruteForceTop(profile, reference), s.Top);
                    Assert.Equal(reference.Count, s.Count);
                }
            }
        }
    }

    [Fact]
    public void SteadyState_AllocatesNothing()
    {
        var s = new PrefetchScheduler(3, Profile);
        Walk(s);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Walk(s);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Walk(PrefetchScheduler s)
    {
        s.Reset();
        for (var step = 0; step < s.StepCount; step++)
        {
            s.Step();
            var current = s.ChunksAt(step);
            foreach (var chunk in current)
            {
                s.Remove(chunk);
            }

            _ = s.NextChunk(current);
            foreach (var chunk in current)
            {
                s.Add(chunk);
            }

            if (s.Count > 2)
            {
                s.Remove(s.Top);
            }
        }

        while (s.Count > 0)
        {
            s.Remove(s.Top);
        }

        s.Clear();
    }

    // Next use by a plain scan from the step the chunk was added at; the largest (next use, chunk) wins.
    private static int BruteForceTop(int[][] profile, Dictionary<int, int> addedAt)
    {
        var best = ChunkScheduler.NoChunk;
        var bestNext = -1;
        foreach (var (chunk, step) in addedAt)
        {
            var next = profile.Length;
            for (var later = step + 1; later < profile.Length; later++)
            {
                if (profile[later].Contains(chunk))
                {
                    next = later;
                    break;
                }
            }

            if (next > bestNext || (next == bestNext && chunk > best))
            {
                best = chunk;
                bestNext = next;
            }
        }

        return best;
    }
}
