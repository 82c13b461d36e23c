using Elixir.Memory;
using Elixir.Planning;

namespace Elixir.Runtime.Tests.Planning;

public sealed class OptimalPlannerTests
{
    private static PlanParameter P(string name, long n) => new(name, [n], [PlanParameter.DefaultModule(name)]);

    private static readonly PlanParameter[] s_small = [P("a.w", 100), P("b.w", 100), P("c.w", 100)];

    [Fact]
    public void SmallModel_OneBlock_ShardOnTheDeviceWhenItFits()
    {
        // 300 elements, below the minimum: one chunk and one block. World size 1 prefers the rCache, so the
        // block is taken first (300 elements), then the shard with its state: fp32 Adam costs 4 elements per
        // shard element (shard, master, two moments), 1,200 elements. Budget 1,500 elements = 6,000 bytes.
        var plan = Planner.Create(s_small, new PlannerOptions { Search = SearchKind.Optimal, DeviceMemoryBytes = 6_000 });
        Assert.Equal(300, plan.ChunkSize);
        Assert.Equal(1, plan.RCache.PublicBlocks);
        Assert.Equal(MemoryLocation.Device, Assert.Single(plan.Chunks).ShardLocation);
        Assert.Equal(6_000, plan.MemoryPerRank.Device.Total);

        var tighter = Planner.Create(s_small, new PlannerOptions { Search = SearchKind.Optimal, DeviceMemoryBytes = 5_996 });
        Assert.Equal(MemoryLocation.Host, Assert.Single(tighter.Chunks).ShardLocation);
        Assert.Equal(1_200, tighter.MemoryPerRank.Device.Total);
    }

    [Fact]
    public void BudgetBelowOneBlock_SaysHowMuchIsNeeded()
    {
        var e = Assert.Throws<PlanBudgetException>(() =>
            Planner.Create(s_small, new PlannerOptions { Search = SearchKind.Optimal, DeviceMemoryBytes = 1_196 }));
        Assert.Equal(1_200, e.RequiredBytes);
        Assert.Contains("needs at least 1200 bytes", e.Message);
    }

    [Fact]
    public void FusedParametersLargerThanTheBudget_SayHowMuchTheyNeed()
    {
        PlanParameter[] ps = [new("e.w", [1_000], ["e", "h"]), P("a.w", 10)];
        var e = Assert.Throws<PlanBudgetException>(() =>
            Planner.Create(ps, new PlannerOptions { Search = SearchKind.Optimal, DeviceMemoryBytes = 3_000 }));
        Assert.Equal(4_000, e.RequiredBytes);
    }

    [Fact]
    public void ManyRanks_ShardsFirst_ThenLeftoverBlocks()
    {
        // At 8 ranks upstream's bandwidth model prefers device shards over rCache blocks: the 4 base blocks are
        // capped at the 1 public block, then the shard (300 / 8 = 37.5 -> chunk 304, shard 38 elements, 152 with
        // state) goes to the device. Budget 2,000 elements: 304 for the block, 152 for the shard.
        var plan = Planner.Create(s_small, new PlannerOptions { Search = SearchKind.Optimal, WorldSize = 8, DeviceMemoryBytes = 8_000 });
        Assert.Equal(304, plan.ChunkSize);
        Assert.Equal(1, plan.RCache.PublicBlocks);
        Assert.Equal(MemoryLocation.Device, plan.Chunks[0].ShardLocation);
        Assert.Equal((304 + 38 * 4) * 4, plan.MemoryPerRank.Device.Total);
    }

    [Fact]
    public void LargeModel_ReportsTheMovesOfItsOwnChunksAndBlocks()
    {
        // 24 layers of 3M and 1M elements (fp32): the optimal search must find a plan that fits its budget and
        // whose simulated moves are what the simulator says for its own chunks and blocks.
        var ps = Enumerable.Range(0, 24).SelectMany(i => new[] { P($"l{i}.w", 3_000_000), P($"l{i}.b", 1_000_000) }).ToArray();
        long budget = 1L << 30;
        var plan = Planner.Create(ps, new PlannerOptions { Search = SearchKind.Optimal, DeviceMemoryBytes = budget });
        Assert.True(plan.MemoryPerRank.Device.Total <= budget);

        var chunkOf = new Dictionary<string, int>();
        for (int c = 0; c < plan.PublicChunks.Count; c++)
        {
            foreach (var t in plan.PublicChunks[c].Tensors)
            {
                chunkOf[t.Name] = c;
            }
        }

        var forward = Enumerable.Range(0, 24).Select(i => new[] { chunkOf[$"l{i}.w"], chunkOf[$"l{i}.b"] }.Distinct().ToArray()).ToList();
        var steps = forward.Concat(Enumerable.Reverse(forward)).ToList();
        Assert.Equal(MoveSimulator.CountMoves(steps, plan.RCache.PublicBlocks) * plan.ChunkSize, plan.MovedElements);
    }
}
