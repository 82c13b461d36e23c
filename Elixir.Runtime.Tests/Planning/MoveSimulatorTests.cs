using CsCheck;
using Elixir.Planning;

namespace Elixir.Runtime.Tests.Planning;

public sealed class MoveSimulatorTests
{
    [Fact]
    public void EvictsTheChunkUsedFurthestAhead()
    {
        // Step 2 needs chunk 2 with {0, 1} cached: 0 is used again at step 3, 1 never, so 1 goes. Loads: 0, 1, 2.
        int[][] steps = [[0], [1], [2], [0]];
        Assert.Equal(3, MoveSimulator.CountGathers(steps, blocks: 2));
        Assert.Equal(6, MoveSimulator.CountMoves(steps, blocks: 2));
    }

    [Fact]
    public void ForwardThenBackward_RefetchesOnlyTheFirstChunk()
    {
        // Forward 0,1,2 then backward 2,1,0 through 2 blocks: 0 is evicted at step 2 (next use 5 > 4) and
        // fetched again at step 5. Loads: 0, 1, 2, 0.
        int[][] steps = [[0], [1], [2], [2], [1], [0]];
        Assert.Equal(4, MoveSimulator.CountGathers(steps, blocks: 2));
        Assert.Equal(3, MoveSimulator.CountGathers(steps, blocks: 3));
        Assert.Equal(5, MoveSimulator.CountGathers(steps, blocks: 1)); // 0, 1, 2, 1, 0
    }

    [Fact]
    public void SparseIdsAndRepeatsWithinAStep_AreAccepted()
    {
        int[][] steps = [[10, 10], [5], [10]];
        Assert.Equal(3, MoveSimulator.CountGathers(steps, blocks: 1));
    }

    [Fact]
    public void AStepWiderThanTheCache_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => MoveSimulator.CountGathers([[0], [1, 2, 3]], blocks: 2));
        Assert.Contains("Step 1 uses 3 chunks, more than the 2 rCache blocks", e.Message);
        Assert.Throws<ArgumentException>(() => MoveSimulator.CountGathers([[-1]], blocks: 2));
    }

    [Fact]
    public void MatchesAPlainBeladyLoop_OnRandomStepLists()
    {
        var gen = Gen.Int[1, 4].SelectMany(blocks =>
            Gen.Int[0, 7].Array[1, blocks].Array[1, 30].Select(steps => (blocks, steps)));
        gen.Sample(t =>
        {
            var steps = t.steps.Select(s => s.Distinct().ToArray()).ToArray();
            Assert.Equal(ReferenceGathers(steps, t.blocks), MoveSimulator.CountGathers(steps, t.blocks));
        }, iter: 2000);
    }

    // Furthest next use, found by scanning; ties evict the larger id; every load counts.
    private static long ReferenceGathers(int[][] steps, int blocks)
    {
        var cache = new List<int>();
        long loads = 0;
        for (int i = 0; i < steps.Length; i++)
        {
            foreach (int id in steps[i])
            {
                if (cache.Contains(id))
                {
                    continue;
                }

                while (cache.Count >= blocks)
                {
                    int victim = cache.Where(c => !steps[i].Contains(c))
                        .OrderByDescending(c => NextUse(steps, i, c)).ThenByDescending(c => c).First();
                    cache.Remove(victim);
                }

                cache.Add(id);
                loads++;
            }
        }

        return loads;
    }

    private static int NextUse(int[][] steps, int after, int id)
    {
        for (int j = after + 1; j < steps.Length; j++)
        {
            if (steps[j].Contains(id))
            {
                return j;
            }
        }

        return steps.Length;
    }
}
