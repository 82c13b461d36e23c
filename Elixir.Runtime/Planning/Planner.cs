using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Planning;

/// <summary>
/// Chooses chunk sizes, packs parameters into chunks, sizes the rCache and places shards (Elixir's search):
/// each multi-use parameter gets a fused chunk of its own; the others are packed first-fit into public chunks of
/// one size, found by the minimum-waste or the optimal (fewest moves) search.
/// </summary>
public static class Planner
{
    private const int PrefetchExtraBlocks = 4;

    /// <summary>Plans <paramref name="parameters"/> (in declaration order) for <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">No parameters, a repeated name, or invalid options.</exception>
    /// <exception cref="PlanBudgetException">The device memory budget cannot hold any plan.</exception>
    public static Plan Create(IReadOnlyList<PlanParameter> parameters, PlannerOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckParameters(parameters);
        int worldSize = options.WorldSize;
        int elementBytes = options.TrainingType.SizeOf();
        var privateIndices = Enumerable.Range(0, parameters.Count).Where(i => parameters[i].IsMultiUse).ToArray();
        var parameterSteps = ModuleSteps.ParameterSteps(parameters);
        var publicOrder = options.Search == SearchKind.Optimal
            ? CalledOrder(parameters, parameterSteps)
            : Enumerable.Range(0, parameters.Count).Where(i => !parameters[i].IsMultiUse).ToArray();
        var numels = publicOrder.Select(i => parameters[i].ElementCount).ToArray();
        long publicElements = numels.Sum();
        var privateSizes = privateIndices.Select(i => ChunkMath.RoundUp(parameters[i].ElementCount, worldSize)).ToArray();

        long searchSize = 0;
        int publicBlocks = 0;
        long? moved = null;
        // The budget search places chunks in what the model's working memory (activations) leaves, as upstream
        // subtracts profiled activation memory. It sizes the chunk system; the whole engine is checked against the
        // budget from Plan.Memory when an engine is built under it.
        long budgetElements = options.DeviceMemoryBytes is long budget
            ? ((budget - options.WorkingMemoryBytes) / elementBytes) - privateSizes.Sum()
            : long.MaxValue;
        if (numels.Length > 0)
        {
            var range = SearchRange.For(numels, elementBytes);
            if (options.ChunkSize is long fixedSize)
            {
                long largest = numels.Max();
                if (fixedSize < largest)
                {
                    throw new ArgumentException(
                        $"Chunk size {fixedSize} is smaller than the largest public parameter ({largest} elements, " +
                        $"'{parameters[publicOrder[Array.IndexOf(numels, largest)]].Name}'); a parameter never spans chunks.");
                }

                searchSize = fixedSize;
            }
            else if (options.Search == SearchKind.MinimumWaste)
            {
                searchSize = MinimumWasteSearch.Find(numels, range).Size;
            }
            else
            {
                (searchSize, publicBlocks, moved) = SearchOptimal(
                    parameters, options, numels, publicOrder, parameterSteps, range, privateSizes.Sum(), budgetElements);
            }
        }

        long chunkSize = ChunkMath.RoundUp(searchSize, worldSize);
        var chunkOf = new int[numels.Length];
        int publicCount = numels.Length == 0 ? 0 : ChunkMath.FirstFit(numels, searchSize, chunkOf).Chunks;
        var locations = new MemoryLocation[privateIndices.Length + publicCount];
        if (options.Search == SearchKind.MinimumWaste)
        {
            publicBlocks = MostChunksPerModule(parameters, privateIndices, publicOrder, chunkOf);
            int needed = publicBlocks;
            if (options.Prefetch)
            {
                publicBlocks = Math.Min(publicBlocks + PrefetchExtraBlocks, publicCount);
            }

            if (options.RCacheBlocks is int blocks && numels.Length > 0)
            {
                if (blocks < needed)
                {
                    throw new ArgumentException(
                        $"{blocks} rCache blocks are too few: a module uses {needed} public chunks at once.");
                }

                publicBlocks = Math.Min(blocks, publicCount);
            }

            if (numels.Length == 0)
            {
                publicBlocks = 0;
            }

            Array.Fill(locations, options.Offload ? MemoryLocation.Host : MemoryLocation.Device);
        }
        else
        {
            if (budgetElements < publicBlocks * chunkSize)
            {
                throw new PlanBudgetException(
                    (privateSizes.Sum() + publicBlocks * chunkSize) * elementBytes, options.DeviceMemoryBytes!.Value,
                    $"{publicBlocks} rCache blocks of {chunkSize} elements and {privateSizes.Length} fused chunks");
            }

            publicBlocks = OptimalPlacement.Place(options, privateSizes, publicCount, chunkSize, publicBlocks, budgetElements, locations);
        }

        var chunks = BuildChunks(parameters, privateIndices, privateSizes, publicOrder, chunkOf, publicCount, chunkSize, locations);
        var rcache = new RCachePlan(numels.Length == 0 ? 0 : chunkSize, publicBlocks, privateSizes);
        var memory = MemoryModel.PerRank(options, chunks, rcache);
        var engineMemory = EngineMemoryModel.Create(options, parameters, chunks, rcache);
        if (options.DeviceMemoryBytes is long limit && memory.Device.Total + options.WorkingMemoryBytes > limit)
        {
            throw new PlanBudgetException(memory.Device.Total + options.WorkingMemoryBytes, limit,
                $"the {(options.Offload ? "offloaded " : "")}minimum-waste plan's chunks ({chunks.Count} chunks, {publicBlocks} rCache blocks of {chunkSize} elements)",
                engineMemory);
        }

        return new Plan(options, chunks, chunkSize, rcache, memory, engineMemory, publicElements, moved);
    }

    private static (long Size, int Blocks, long? Moved) SearchOptimal(IReadOnlyList<PlanParameter> parameters, PlannerOptions options,
        long[] numels, int[] publicOrder, List<int[]> parameterSteps, SearchRange range, long privateElements, long budgetElements)
    {
        long budget = options.DeviceMemoryBytes!.Value;
        int elementBytes = options.TrainingType.SizeOf();
        long privateBytes = privateElements * elementBytes;
        if (budgetElements < 0)
        {
            throw new PlanBudgetException(privateBytes, budget, $"the fused chunks of the {parameters.Count(p => p.IsMultiUse)} multi-use parameters");
        }

        long publicElements = numels.Sum();
        if (publicElements <= range.Min)
        {
            return (publicElements, 1, null);
        }

        var positionOf = new int[parameters.Count];
        Array.Fill(positionOf, -1);
        for (int k = 0; k < publicOrder.Length; k++)
        {
            positionOf[publicOrder[k]] = k;
        }

        var steps = parameterSteps.Select(s => s.Where(p => positionOf[p] >= 0).Select(p => positionOf[p]).ToArray()).ToList();
        var found = OptimalSearch.Find(numels, steps, budgetElements, options.Prefetch, range);
        if (found is not { } best)
        {
            long required = OptimalSearch.RequiredElements(numels, steps, options.Prefetch, range, options.WorldSize);
            throw new PlanBudgetException(privateBytes + required * elementBytes, budget, "the optimal search's smallest rCache");
        }

        return (best.Size, best.Blocks, best.MovedElements);
    }

    private static void CheckParameters(IReadOnlyList<PlanParameter> parameters)
    {
        if (parameters.Count == 0)
        {
            throw new ArgumentException("There are no parameters to plan.", nameof(parameters));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in parameters)
        {
            if (!names.Add(p.Name))
            {
                throw new ArgumentException($"Parameter '{p.Name}' is listed twice.", nameof(parameters));
            }
        }
    }

    // Public parameters in the order the steps first use them, as the optimal search packs them.
    private static int[] CalledOrder(IReadOnlyList<PlanParameter> parameters, List<int[]> steps)
    {
        var seen = new bool[parameters.Count];
        var order = new List<int>();
        foreach (var step in steps)
        {
            foreach (int p in step)
            {
                if (!parameters[p].IsMultiUse && !seen[p])
                {
                    seen[p] = true;
                    order.Add(p);
                }
            }
        }

        return order.ToArray();
    }

    // The largest number of distinct chunks (fused ones included) one module's parameters live in.
    private static int MostChunksPerModule(IReadOnlyList<PlanParameter> parameters, int[] privateIndices, int[] publicOrder, int[] chunkOf)
    {
        var chunkId = new int[parameters.Count];
        for (int k = 0; k < privateIndices.Length; k++)
        {
            chunkId[privateIndices[k]] = k;
        }

        for (int k = 0; k < publicOrder.Length; k++)
        {
            chunkId[publicOrder[k]] = privateIndices.Length + chunkOf[k];
        }

        int most = 0;
        foreach (var members in ModuleSteps.ParametersByModule(parameters).Values)
        {
            most = Math.Max(most, members.Select(p => chunkId[p]).Distinct().Count());
        }

        return most;
    }

    private static List<ChunkPlan> BuildChunks(IReadOnlyList<PlanParameter> parameters, int[] privateIndices, long[] privateSizes,
        int[] publicOrder, int[] chunkOf, int publicCount, long chunkSize, MemoryLocation[] locations)
    {
        var chunks = new List<ChunkPlan>(privateIndices.Length + publicCount);
        for (int k = 0; k < privateIndices.Length; k++)
        {
            var p = parameters[privateIndices[k]];
            chunks.Add(new ChunkPlan(privateSizes[k], true, locations[k], [new PlannedTensor(p.Name, 0, p.ElementCount)]));
        }

        var members = new List<PlannedTensor>[publicCount];
        for (int c = 0; c < publicCount; c++)
        {
            members[c] = [];
        }

        var used = new long[publicCount];
        for (int k = 0; k < publicOrder.Length; k++)
        {
            var p = parameters[publicOrder[k]];
            int c = chunkOf[k];
            members[c].Add(new PlannedTensor(p.Name, used[c], p.ElementCount));
            used[c] += p.ElementCount;
        }

        for (int c = 0; c < publicCount; c++)
        {
            chunks.Add(new ChunkPlan(chunkSize, false, locations[privateIndices.Length + c], members[c]));
        }

        return chunks;
    }
}
