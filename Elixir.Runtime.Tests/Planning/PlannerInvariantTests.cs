using CsCheck;
using Elixir.Memory;
using Elixir.Numerics;
using Elixir.Planning;

namespace Elixir.Runtime.Tests.Planning;

public sealed class PlannerInvariantTests
{
    // Every plan visits about 8 Mi parameters in its search (upstream's iteration budget), so few samples are drawn.
    // Parameters of 1 element to 40M elements in up to 8 modules, a few used by two modules.
    private static readonly Gen<PlanParameter[]> s_parameters =
        Gen.Select(Gen.Long[1, 40_000_000], Gen.Int[0, 7], Gen.Int[0, 9]).Array[1, 24].Select(rows =>
            rows.Select((r, i) => new PlanParameter(
                $"m{r.Item2}.p{i}", [r.Item1], r.Item3 == 0 ? [$"m{r.Item2}", "shared"] : [$"m{r.Item2}"])).ToArray());

    private static readonly Gen<PlannerOptions> s_options =
        Gen.Select(Gen.Int[1, 8], Gen.Int[0, 2], Gen.Bool, Gen.Bool, Gen.Bool).Select(o => new PlannerOptions
        {
            WorldSize = o.Item1,
            TrainingType = (DType)o.Item2,
            Prefetch = o.Item3,
            Offload = o.Item4,
            Optimizer = o.Item5 ? OptimizerKind.Adam : OptimizerKind.Sgd,
        });

    [Fact]
    public void MinimumWastePlans_HoldEveryInvariant()
    {
        Gen.Select(s_parameters, s_options).Sample(t =>
        {
            var (parameters, options) = t;
            var plan = Planner.Create(parameters, options);
            CheckInvariants(parameters, options, plan);

            var publicNumels = parameters.Where(p => !p.IsMultiUse).Select(p => p.ElementCount).ToArray();
            if (publicNumels.Length > 0)
            {
                int e = options.TrainingType.SizeOf();
                long size = ReferenceSearch.MinimumWasteSize(publicNumels, e);
                long rounded = (size + options.WorldSize - 1) / options.WorldSize * options.WorldSize;
                Assert.Equal(rounded, plan.ChunkSize);
                var expected = ReferenceSearch.FirstFit(publicNumels, size);
                Assert.Equal(expected.Select(c => c.ToArray()), plan.PublicChunks.Select(c => c.Tensors.Select(t => t.ElementCount).ToArray()));
            }
        }, iter: 15);
    }

    [Fact]
    public void OptimalPlans_HoldEveryInvariant_AndFitTheBudget()
    {
        Gen.Select(s_parameters, s_options, Gen.Long[1L << 28, 1L << 36]).Sample(t =>
        {
            var (parameters, options, budget) = t;
            options = options with { Search = SearchKind.Optimal, Offload = false, DeviceMemoryBytes = budget };
            Plan plan;
            try
            {
                plan = Planner.Create(parameters, options);
            }
            catch (PlanBudgetException e)
            {
                Assert.True(e.RequiredBytes > budget, $"needs {e.RequiredBytes}, has {budget}");
                return;
            }

            CheckInvariants(parameters, options, plan);
            Assert.True(plan.MemoryPerRank.Device.Total <= budget, $"{plan.MemoryPerRank.Device.Total} > {budget}");
        }, iter: 5);
    }

    private static void CheckInvariants(PlanParameter[] parameters, PlannerOptions options, Plan plan)
    {
        int w = options.WorldSize;
        int e = options.TrainingType.SizeOf();
        // Each parameter placed exactly once, fused ones alone in their own chunk.
        var placed = plan.Chunks.SelectMany(c => c.Tensors.Select(t => t.Name)).ToList();
        Assert.Equal(parameters.Select(p => p.Name).Order(), placed.Order());
        foreach (var p in parameters.Where(p => p.IsMultiUse))
        {
            Assert.Contains(plan.PrivateChunks, c => c.Tensors.Count == 1 && c.Tensors[0].Name == p.Name);
        }

        foreach (var chunk in plan.Chunks)
        {
            Assert.Equal(0, chunk.Size % w);
            Assert.True(chunk.UsedElements <= chunk.Size);
            long offset = 0;
            foreach (var t in chunk.Tensors)
            {
                Assert.Equal(offset, t.Offset);
                offset += t.ElementCount;
            }
        }

        Assert.All(plan.PublicChunks, c => Assert.Equal(plan.ChunkSize, c.Size));
        long publicElements = parameters.Where(p => !p.IsMultiUse).Sum(p => p.ElementCount);
        Assert.Equal(plan.PublicChunkCount * plan.ChunkSize - publicElements, plan.WasteElements);

        // Memory adds up: shards by location, state per element, the rCache on the device.
        int stateBytes = options.Optimizer == OptimizerKind.Adam ? 12 : 8;
        long deviceShard = plan.Chunks.Where(c => c.ShardLocation == MemoryLocation.Device).Sum(c => c.Size / w);
        long hostShard = plan.Chunks.Where(c => c.ShardLocation == MemoryLocation.Host).Sum(c => c.Size / w);
        Assert.Equal(deviceShard * e, plan.MemoryPerRank.Device.Parameters);
        Assert.Equal(hostShard * e, plan.MemoryPerRank.Host.Parameters);
        Assert.Equal(deviceShard * stateBytes, plan.MemoryPerRank.Device.OptimizerState);
        Assert.Equal(hostShard * stateBytes, plan.MemoryPerRank.Host.OptimizerState);
        long rcache = (plan.RCache.PublicBlocks * plan.ChunkSize + plan.PrivateChunks.Sum(c => c.Size)) * e;
        Assert.Equal(rcache, plan.MemoryPerRank.Device.RCache);
        var d = plan.MemoryPerRank.Device;
        Assert.Equal(d.Parameters + d.Gradients + d.OptimizerState + d.RCache, d.Total);
        Assert.Equal(0, plan.MemoryPerRank.Host.RCache);
    }
}
