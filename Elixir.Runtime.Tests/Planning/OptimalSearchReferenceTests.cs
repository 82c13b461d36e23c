using CsCheck;
using Elixir.Planning;

namespace Elixir.Runtime.Tests.Planning;

public sealed class OptimalSearchReferenceTests
{
    [Fact]
    public void TwelveLayers_SearchRuns_AndMatchesTheReference() =>
        Check([.. Enumerable.Repeat((6_000_000L, 1_000L), 12)], 1L << 29, overlap: true);

    [Fact]
    public void LayeredModels_MatchALiteralTranscriptionOfTheUpstreamLoop()
    {
        // Layers of a weight and a bias (one module each), fp32, one rank (so the rCache keeps every searched block).
        // Each sample tries up to 131,072 sizes in the reference loop, so few are drawn.
        var gen = Gen.Select(Gen.Long[2_000_000, 12_000_000].Select(Gen.Long[1, 50_000]).Array[8, 16], Gen.Long[1L << 27, 1L << 30], Gen.Bool);
        gen.Sample(t => Check(t.Item1, t.Item2, t.Item3), iter: 3);
    }

    private static void Check((long W, long B)[] layers, long budget, bool overlap)
    {
        var parameters = layers.SelectMany((l, i) => new[]
        {
            new PlanParameter($"l{i}.w", [l.W], [$"l{i}"]),
            new PlanParameter($"l{i}.b", [l.B], [$"l{i}"]),
        }).ToArray();
        var expected = Reference(layers, budget / 4, overlap);
        var options = new PlannerOptions { Search = SearchKind.Optimal, DeviceMemoryBytes = budget, Prefetch = overlap };
        if (expected is null)
        {
            Assert.Throws<PlanBudgetException>(() => Planner.Create(parameters, options));
            return;
        }

        var plan = Planner.Create(parameters, options);
        Assert.Equal(expected.Value.Size, plan.ChunkSize);
        Assert.Equal(expected.Value.Blocks, plan.RCache.PublicBlocks);
        Assert.Equal(expected.Value.Moved, plan.MovedElements);
    }

    // All parameters below the minimum form one chunk in one block, moving nothing the search counted (null).
    private static (long Size, int Blocks, long? Moved)? Reference((long W, long B)[] layers, long cudaElements, bool overlap)
    {
        var numels = layers.SelectMany(l => new[] { l.W, l.B }).ToArray();
        var (min, max, interval) = ReferenceSearch.Range(numels, 4);
        if (numels.Sum() <= min)
        {
            return cudaElements >= numels.Sum() ? (numels.Sum(), 1, null) : null;
        }

        long testSize = (Math.Max(numels.Max(), min) + interval - 1) / interval * interval;
        long cuda = cudaElements - interval + 1;
        cuda += ((-cuda % interval) + interval) % interval;
        max = Math.Min(max, cuda);
        (long Size, int Blocks, long? Moved)? best = null;
        for (; testSize <= max; testSize += interval)
        {
            long blocks = cuda / testSize - (overlap ? 2 : 0);
            if (blocks <= 0)
            {
                continue;
            }

            var chunkOf = new int[numels.Length];
            int chunkCount = 0;
            long left = 0;
            for (int p = 0; p < numels.Length; p++)
            {
                if (numels[p] > left)
                {
                    chunkCount++;
                    left = testSize;
                }

                left -= numels[p];
                chunkOf[p] = chunkCount - 1;
            }

            blocks = Math.Min(blocks, chunkCount);
            var forward = layers.Select((_, i) => new[] { chunkOf[2 * i], chunkOf[2 * i + 1] }.Distinct().ToArray()).ToList();
            var steps = forward.Concat(Enumerable.Reverse(forward)).ToList();
            if (steps.Any(s => s.Length > blocks))
            {
                continue;
            }

            long moved = MoveSimulator.CountMoves(steps, (int)blocks) * testSize;
            if (best is null || moved < best.Value.Moved)
            {
                best = (testSize, (int)blocks, moved);
            }
        }

        return best;
    }
}
