using Elixir.Memory;
using Elixir.Numerics;
using Elixir.Planning;

namespace Elixir.Runtime.Tests.Planning;

public sealed class MinimumWastePlannerTests
{
    private static PlanParameter P(string name, params long[] shape) => new(name, shape, [PlanParameter.DefaultModule(name)]);

    [Fact]
    public void ThreeLargeParameters_PickTheSizeThatHoldsAllThree()
    {
        // 3 parameters: next power of two 4, so 16 Mi / 8 = 2 Mi search steps, more than 64 MiB / 1024, so the
        // interval is 1024 bytes = 256 fp32 elements, from 32 MiB = 8,388,608 to 25,165,824 elements.
        // Below 10M each chunk holds one parameter (waste >= 10,165,824); between 10M and 15M two chunks
        // (waste >= 5,000,256); the first multiple of 256 from 15M, 15,000,064, holds all three with waste 64.
        PlanParameter[] ps = [P("a.w", 5_000_000), P("b.w", 5_000_000), P("c.w", 5_000_000)];
        var plan = Planner.Create(ps, new PlannerOptions());
        Assert.Equal(15_000_064, plan.ChunkSize);
        Assert.Equal(64, plan.WasteElements);
        Assert.Equal(1, plan.PublicChunkCount);
        Assert.Equal(1, plan.RCache.PublicBlocks);
        Assert.Equal([0L, 5_000_000L, 10_000_000L], plan.Chunks[0].Tensors.Select(t => t.Offset));
    }

    [Fact]
    public void TiedWaste_KeepsTheSmallerSize()
    {
        // The largest parameter is exactly 32 MiB of fp32, so the range runs from 8,388,608 elements in steps of 256.
        // At 8,388,608: [a, b] fill one chunk, [c] leaves 100. At 16,777,216 all three fit in one chunk with the
        // same 100 left. Every size between holds [a, b] with 256k spare and [c] alone: 2 * 256k + 100. Above,
        // one chunk wastes more than 100. The two sizes tie; upstream's strict "<" keeps the first.
        PlanParameter[] ps = [P("a.w", 1_000_000), P("b.w", 7_388_608), P("c.w", 8_388_508)];
        var plan = Planner.Create(ps, new PlannerOptions());
        Assert.Equal(8_388_608, plan.ChunkSize);
        Assert.Equal(100, plan.WasteElements);
        Assert.Equal(2, plan.PublicChunkCount);
        Assert.Equal([["a.w", "b.w"], ["c.w"]], plan.PublicChunks.Select(c => c.Tensors.Select(t => t.Name).ToArray()));
    }

    [Fact]
    public void ChunkSize_IsRoundedUpToTheWorldSize()
    {
        PlanParameter[] ps = [P("a.w", 5_000_000), P("b.w", 5_000_000), P("c.w", 5_000_000)];
        var plan = Planner.Create(ps, new PlannerOptions { WorldSize = 3 });
        // 15,000,064 = 3 * 5,000,021 + 1.
        Assert.Equal(15_000_066, plan.ChunkSize);
        Assert.Equal(66, plan.WasteElements);
        Assert.Equal(66 * 100.0 / 15_000_000, plan.WastePercent, 10);
    }

    [Fact]
    public void SmallModel_FusedEmbedding_BlocksAndMemory()
    {
        // The embedding is used by "emb" and "head": a fused chunk of its own. The other 220 elements are below
        // the 32 MiB minimum: one public chunk of exactly 220. Each module touches one chunk.
        PlanParameter[] ps =
        [
            new("emb.weight", [1000, 10], ["emb", "head"]),
            P("l0.w", 10, 10), P("l0.b", 10),
            P("l1.w", 10, 10), P("l1.b", 10),
        ];
        var plan = Planner.Create(ps, new PlannerOptions { WorldSize = 2, Prefetch = true });

        var fused = Assert.Single(plan.PrivateChunks);
        Assert.Equal(("emb.weight", 10_000L, true), (fused.Tensors[0].Name, fused.Size, fused.IsFused));
        Assert.Equal(220, plan.ChunkSize);
        var chunk = Assert.Single(plan.PublicChunks);
        Assert.Equal(["l0.w", "l0.b", "l1.w", "l1.b"], chunk.Tensors.Select(t => t.Name));
        Assert.Equal([0L, 100L, 110L, 210L], chunk.Tensors.Select(t => t.Offset));
        Assert.Equal(1, plan.RCache.PublicBlocks); // 1 per module, +4 for prefetch, capped at 1 chunk
        Assert.Equal([10_000L], plan.RCache.PrivateBlockSizes);

        // Per rank: shards of 5,000 + 110 elements; fp32 shard 4 B, master + two Adam moments 12 B;
        // rCache 220 + 10,000 elements of 4 B.
        var device = plan.MemoryPerRank.Device;
        Assert.Equal(5_110 * 4, device.Parameters);
        Assert.Equal(0, device.Gradients);
        Assert.Equal(5_110 * 12, device.OptimizerState);
        Assert.Equal(10_220 * 4, device.RCache);
        Assert.Equal(0, plan.MemoryPerRank.Host.Total);
    }

    [Fact]
    public void AFixedChunkSizeAndBlockCount_ReplaceTheSearch_AndAreChecked()
    {
        PlanParameter[] ps = [P("m.w1", 1024), P("m.b1", 64), P("m.w2", 256), P("m.b2", 4)];
        var plan = Planner.Create(ps, new PlannerOptions { WorldSize = 4, ChunkSize = 1100, RCacheBlocks = 2 });

        // First fit at 1100: w1 + b1 = 1088 in the first chunk, w2 + b2 = 260 in the second; one module uses both.
        Assert.Equal(1100, plan.ChunkSize);
        Assert.Equal([["m.w1", "m.b1"], ["m.w2", "m.b2"]], plan.PublicChunks.Select(c => c.Tensors.Select(t => t.Name).ToArray()));
        Assert.Equal(2, plan.RCache.PublicBlocks);

        Assert.Contains("Chunk size 1000 is smaller than the largest public parameter (1024 elements, 'm.w1')",
            Assert.Throws<ArgumentException>(() => Planner.Create(ps, new PlannerOptions { ChunkSize = 1000 })).Message, StringComparison.Ordinal);
        Assert.Contains("1 rCache blocks are too few: a module uses 2 public chunks at once",
            Assert.Throws<ArgumentException>(() => Planner.Create(ps, new PlannerOptions { ChunkSize = 1100, RCacheBlocks = 1 })).Message, StringComparison.Ordinal);
        Assert.Contains("minimum-waste search only", Assert.Throws<ArgumentException>(() => Planner.Create(ps,
            new PlannerOptions { ChunkSize = 1100, Search = SearchKind.Optimal, DeviceMemoryBytes = 1 << 30 })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GradientAccumulation_CountsAnFp32AccumulatorPerShardUnderGradients()
    {
        PlanParameter[] ps = [P("a.w", 100), P("b.w", 60)];
        var single = Planner.Create(ps, new PlannerOptions { WorldSize = 2, TrainingType = DType.Float16 });
        var accumulating = Planner.Create(ps, new PlannerOptions { WorldSize = 2, TrainingType = DType.Float16, AccumulationSteps = 4 });

        // One chunk of 160 elements, 80 per rank: fp16 shard 160 B, and 80 fp32 accumulator elements of 4 B.
        Assert.Equal(0, single.MemoryPerRank.Device.Gradients);
        Assert.Equal(80 * 4, accumulating.MemoryPerRank.Device.Gradients);
        Assert.Equal(single.MemoryPerRank.Device.Total + 320, accumulating.MemoryPerRank.Device.Total);
        Assert.Contains("Accumulation steps 0", Assert.Throws<ArgumentException>(
            () => Planner.Create(ps, new PlannerOptions { AccumulationSteps = 0 })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Offload_PutsShardsOnTheHost_WithSgdAndHalfPrecision()
    {
        PlanParameter[] ps = [P("a.w", 100), P("b.w", 60)];
        var plan = Planner.Create(ps, new PlannerOptions { Offload = true, Optimizer = OptimizerKind.Sgd, TrainingType = DType.BFloat16 });
        Assert.All(plan.Chunks, c => Assert.Equal(MemoryLocation.Host, c.ShardLocation));
        // 160 elements: bf16 shard 2 B; fp32 master + one momentum 8 B; the rCache stays on the device.
        Assert.Equal(new MemoryBreakdown(320, 0, 1_280, 0), plan.MemoryPerRank.Host);
        Assert.Equal(new MemoryBreakdown(0, 0, 0, 320), plan.MemoryPerRank.Device);
    }

    [Fact]
    public void ModuleSpanningTwoChunks_NeedsTwoBlocks()
    {
        // Four 30M parameters (120 MB each): minimum 128 MiB = 33,554,432 elements, maximum 100,663,296,
        // interval 256. Below 60M one per chunk (waste >= 14,217,728); 60M exactly (234,375 * 256) holds two
        // per chunk with no waste.
        string[] names = ["m.a", "m.b", "m.c", "m.d"];
        var oneModule = Planner.Create(names.Select(n => new PlanParameter(n, [30_000_000], ["m"])).ToArray(), new PlannerOptions());
        Assert.Equal(60_000_000, oneModule.ChunkSize);
        Assert.Equal(0, oneModule.WasteElements);
        Assert.Equal(2, oneModule.PublicChunkCount);
        Assert.Equal(2, oneModule.RCache.PublicBlocks);

        string[] split = ["m.a", "m.b", "n.c", "n.d"];
        var twoModules = Planner.Create(split.Select(n => P(n, 30_000_000)).ToArray(), new PlannerOptions());
        Assert.Equal(1, twoModules.RCache.PublicBlocks);
        var prefetching = Planner.Create(split.Select(n => P(n, 30_000_000)).ToArray(), new PlannerOptions { Prefetch = true });
        Assert.Equal(2, prefetching.RCache.PublicBlocks); // 1 + 4, capped at the 2 chunks
    }

    [Fact]
    public void BudgetTooSmall_SaysHowMuchIsNeeded()
    {
        PlanParameter[] ps = [P("a.w", 100), P("b.w", 60)];
        // 160 elements fp32: shard 640 B + state 1,920 B + rCache 640 B = 3,200 B.
        var e = Assert.Throws<PlanBudgetException>(() => Planner.Create(ps, new PlannerOptions { DeviceMemoryBytes = 3_199 }));
        Assert.Equal(3_200, e.RequiredBytes);
        Assert.Contains("needs at least 3200 bytes", e.Message);
        Assert.Equal(3_200, Planner.Create(ps, new PlannerOptions { DeviceMemoryBytes = 3_200 }).MemoryPerRank.Device.Total);
    }

    [Fact]
    public void BadInput_IsRejected()
    {
        Assert.Contains("no parameters", Assert.Throws<ArgumentException>(() => Planner.Create([], new PlannerOptions())).Message);
        Assert.Contains("'a.w' is listed twice",
            Assert.Throws<ArgumentException>(() => Planner.Create([P("a.w", 1), P("a.w", 2)], new PlannerOptions())).Message);
        Assert.Contains("World size 0",
            Assert.Throws<ArgumentException>(() => Planner.Create([P("a.w", 1)], new PlannerOptions { WorldSize = 0 })).Message);
        Assert.Contains("needs a device memory budget",
            Assert.Throws<ArgumentException>(() => Planner.Create([P("a.w", 1)], new PlannerOptions { Search = SearchKind.Optimal })).Message);
        Assert.Contains("dimension 0", Assert.Throws<ArgumentException>(() => P("a.w", 3, 0)).Message);
    }

    [Fact]
    public void SamePlan_TwiceGivesTheSameJson()
    {
        PlanParameter[] ps = [new("e.w", [50, 4], ["e", "h"]), P("a.w", 100), P("b.w", 60)];
        var options = new PlannerOptions { WorldSize = 4 };
        Assert.Equal(Planner.Create(ps, options).ToJson(), Planner.Create(ps, options).ToJson());
    }
}
