using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Planning;

/// <summary>
/// Computes a <see cref="MemoryPlan"/> by walking the engine's allocations in the engine's order: the rCache,
/// then chunk by chunk the parameter and master shards with their build buffers and the initial values of the
/// layout instances they touch, then the optimizer state, accumulators and scratch buffers.
/// </summary>
internal static class EngineMemoryModel
{
    public static MemoryPlan Create(PlannerOptions options, IReadOnlyList<PlanParameter> parameters, IReadOnlyList<ChunkPlan> chunks, RCachePlan rcache)
    {
        var buffers = Buffers(options, parameters, chunks);
        var steady = new long[2 * MemoryCategories.Count];
        int e = options.TrainingType.SizeOf();
        int moments = OptimizerFootprint.Moments(options.Optimizer);
        void Add(MemoryLocation location, MemoryCategory category, long bytes) => steady[MemoryPlan.Index(location, category)] += bytes;

        Add(MemoryLocation.Device, MemoryCategory.RCache, rcache.TotalElements * e);
        foreach (var chunk in chunks)
        {
            long shard = chunk.Size / options.WorldSize;
            Add(chunk.ShardLocation, MemoryCategory.ParameterShards, shard * e);
            Add(chunk.ShardLocation, MemoryCategory.OptimizerState, shard * sizeof(float) * (1 + moments));
            Add(chunk.ShardLocation, MemoryCategory.Gradients, options.AccumulationSteps > 1 ? shard * sizeof(float) : 0);
        }

        Add(MemoryLocation.Device, MemoryCategory.Staging, EngineBuffers.Allocated(buffers.StagingBytes));
        Add(MemoryLocation.Device, MemoryCategory.Gradients,
            EngineBuffers.Allocated(buffers.GradientScratchBytes) + EngineBuffers.Allocated(buffers.PersistentGradientBytes));
        Add(MemoryLocation.Device, MemoryCategory.Communication, buffers.ReduceWorkspaceElements * sizeof(float));

        // Each chunk's overflow flag and partial sums of squares, queued on the device and read once per step.
        Add(MemoryLocation.Device, MemoryCategory.Staging, Chunks.ReduceStatistics.Bytes(chunks.Count));
        Add(MemoryLocation.Host, MemoryCategory.Staging, Chunks.ReduceStatistics.Bytes(chunks.Count));

        var plan = new MemoryPlan(steady, [0, 0], [0, 0], buffers, options.WorkingMemoryBytes);
        long[] construction = Construction(options, parameters, chunks, rcache, plan);
        long largestChunk = chunks.Count == 0 ? 0 : chunks.Max(c => c.Size) * sizeof(float);
        // A consolidated save gathers one fp32 chunk at a time on the device and reads it through a host staging buffer.
        long[] save = [plan.Steady(MemoryLocation.Device) + largestChunk, plan.Steady(MemoryLocation.Host) + largestChunk];
        return new MemoryPlan(steady, construction, save, buffers, options.WorkingMemoryBytes);
    }

    private static EngineBuffers Buffers(PlannerOptions options, IReadOnlyList<PlanParameter> parameters, IReadOnlyList<ChunkPlan> chunks)
    {
        var staging = new Dictionary<string, long>(StringComparer.Ordinal);
        var gradients = new Dictionary<string, long>(StringComparer.Ordinal);
        long persistent = 0;
        foreach (var p in parameters)
        {
            long slot = EngineBuffers.SlotBytes(p.ElementCount);
            bool staged = p.DeclaredType == DType.Float32 && options.TrainingType != DType.Float32;
            if (p.IsMultiUse)
            {
                persistent += slot;
            }

            foreach (string module in p.Modules)
            {
                staging[module] = staging.GetValueOrDefault(module) + (staged ? slot : 0);
                gradients[module] = gradients.GetValueOrDefault(module) + (p.IsMultiUse ? 0 : slot);
            }
        }

        bool workspace = options.ReduceInFp32 && options.TrainingType != DType.Float32 && options.WorldSize > 1 && chunks.Count > 0;
        return new EngineBuffers(
            staging.Values.DefaultIfEmpty().Max(),
            gradients.Values.DefaultIfEmpty().Max(),
            persistent,
            workspace ? chunks.Max(c => c.Size) : 0);
    }

    // The engine fills chunk by chunk: it opens the parameter and the master chunk (shards and build buffers at the
    // shard's location), makes the initial values of each layout instance the chunk touches, appends, closes (the
    // build buffers go) and frees the initial values of instances whose tensors are all placed.
    private static long[] Construction(PlannerOptions options, IReadOnlyList<PlanParameter> parameters, IReadOnlyList<ChunkPlan> chunks,
        RCachePlan rcache, MemoryPlan steady)
    {
        int e = options.TrainingType.SizeOf();
        var instanceOf = parameters.ToDictionary(p => p.Name, p => p.Layout ?? PlanParameter.DefaultModule(p.Name), StringComparer.Ordinal);
        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        var instanceBytes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var group in parameters.GroupBy(p => instanceOf[p.Name], StringComparer.Ordinal))
        {
            remaining[group.Key] = group.Count();
            instanceBytes[group.Key] = InitialValueBytes(group.ToList(), options.TrainingType);
        }

        long[] live = [rcache.TotalElements * e, 0];
        long[] peak = [.. live];
        var open = new HashSet<string>(StringComparer.Ordinal);
        long initialValues = 0;
        foreach (var chunk in chunks)
        {
            int at = chunk.ShardLocation == MemoryLocation.Device ? 0 : 1;
            long shard = chunk.Size / options.WorldSize;
            long build = (chunk.IsFused ? 0 : chunk.Size * e) + (chunk.Size * sizeof(float));
            live[at] += (shard * e) + (shard * sizeof(float)) + build;
            foreach (var tensor in chunk.Tensors)
            {
                if (open.Add(instanceOf[tensor.Name]))
                {
                    initialValues += instanceBytes[instanceOf[tensor.Name]];
                }
            }

            peak[0] = Math.Max(peak[0], live[0]);
            peak[1] = Math.Max(peak[1], live[1] + initialValues);
            live[at] -= build;
            foreach (var tensor in chunk.Tensors)
            {
                string instance = instanceOf[tensor.Name];
                if (--remaining[instance] == 0)
                {
                    initialValues -= instanceBytes[instance];
                }
            }
        }

        return [Math.Max(peak[0], steady.Steady(MemoryLocation.Device)), Math.Max(peak[1], steady.Steady(MemoryLocation.Host))];
    }

    /// <summary>
    /// The host bytes of one instance's initial values: as declared, in fp32 for the masters, and in the training
    /// type when some tensor is declared otherwise; each packed like a layout table (natural alignment).
    /// </summary>
    private static long InitialValueBytes(List<PlanParameter> tensors, DType trainingType)
    {
        long declared = Packed(tensors.Select(p => (p.ElementCount, (p.DeclaredType ?? trainingType).SizeOf())));
        long master = Packed(tensors.Select(p => (p.ElementCount, sizeof(float))));
        bool retyped = tensors.Any(p => (p.DeclaredType ?? trainingType) != trainingType);
        long storage = retyped ? Packed(tensors.Select(p => (p.ElementCount, trainingType.SizeOf()))) : 0;
        return Math.Max(declared, 1) + Math.Max(master, 1) + (retyped ? Math.Max(storage, 1) : 0);
    }

    private static long Packed(IEnumerable<(long Count, int Size)> tensors)
    {
        long end = 0;
        foreach (var (count, size) in tensors)
        {
            end = ((end + size - 1) / size * size) + (count * size);
        }

        return end;
    }
}
