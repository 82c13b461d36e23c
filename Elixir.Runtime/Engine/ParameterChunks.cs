using Elixir.Chunks;
using Elixir.Collectives;
using Elixir.Fetching;
using Elixir.Kernels;
using Elixir.Memory;
using Elixir.Numerics;
using Elixir.Planning;

namespace Elixir.Engine;

/// <summary>
/// The plan made real on one rank: the rCache, the parameter chunks filled with the tensors' initial values in
/// plan order, each paired with its fp32 master chunk, and every tensor's place in its chunk. Owns the chunks and
/// the pool: disposing it frees them.
/// </summary>
/// <remarks>
/// Master chunks are never gathered, so they belong to no chunk group and take no rCache block; they are
/// closed directly and name the parameter rCache only because every chunk names one.
/// </remarks>
internal sealed class ParameterChunks : IDisposable
{
    private readonly RCache _pool;
    private readonly IMemoryBackend _backend;
    private readonly ICommunicator _communicator;
    private readonly IKernels _kernels;
    private readonly List<Chunk> _masters = [];

    public ParameterChunks(
        ModelState model, Plan plan, EngineOptions options, IMemoryBackend backend, ICommunicator communicator, IKernels kernels, IKernels hostKernels)
    {
        _backend = backend;
        _communicator = communicator;
        _kernels = kernels;
        var cleanup = new List<IDisposable>();
        try
        {
            var privateBlocks = plan.PrivateChunks.Select(c => (c.Size, options.ParameterType)).ToArray();
            _pool = Track(cleanup, new RCache(backend, $"rcache{communicator.Rank}", plan.RCache.BlockSize, options.ParameterType,
                plan.RCache.PublicBlocks, privateBlocks));
            Group = Track(cleanup, new ChunkGroup(_pool, backend, communicator, kernels));
            (Chunks, Masters) = BuildChunks(model.Model, plan, options, backend, hostKernels);
            Group.ReserveReduceWorkspace(plan.Memory.Buffers.ReduceWorkspaceElements);
            for (int n = 0; n < model.TensorCount; n++)
            {
                model.Handles[n] = Group.HandleOf(model.InstanceOf(n).Counter, model.IndexOf(n));
            }
        }
        catch
        {
            DisposeMasters();
            for (int i = cleanup.Count - 1; i >= 0; i--)
            {
                cleanup[i].Dispose();
            }

            throw;
        }
    }

    /// <summary>The parameter chunks and their rCache.</summary>
    public ChunkGroup Group { get; }

    /// <summary>The parameter chunks, in plan order.</summary>
    public Chunk[] Chunks { get; }

    /// <summary>The fp32 master chunk of each parameter chunk (never gathered).</summary>
    public Chunk[] Masters { get; }

    /// <summary>The minimum-waste plan for the model, the engine options and the world size.</summary>
    public static Plan DefaultPlan(ModelDefinition model, EngineOptions options, int worldSize) =>
        Planner.Create(model.PlanParameters(), new PlannerOptions
        {
            WorldSize = worldSize,
            TrainingType = options.ParameterType,
            Offload = options.Offload,
            Prefetch = options.Prefetch,
            Optimizer = EngineMemory.Optimizer(options),
            AccumulationSteps = options.AccumulationSteps,
            ReduceInFp32 = options.ReduceInFp32,
            DeviceMemoryBytes = options.DeviceMemoryBytes,
            WorkingMemoryBytes = model.WorkingMemoryBytes,
        });

    /// <summary>Checks that <paramref name="plan"/> was made for this model and world size.</summary>
    public static void CheckPlan(Plan plan, ModelDefinition model, int worldSize)
    {
        if (plan.Options.WorldSize != worldSize)
        {
            throw new ArgumentException($"The plan is for {plan.Options.WorldSize} ranks but the communicator has {worldSize}.", nameof(plan));
        }

        var expected = model.Instances.SelectMany(i => i.FullNames).ToHashSet(StringComparer.Ordinal);
        var planned = plan.Chunks.SelectMany(c => c.Tensors).Select(t => t.Name).ToList();
        var missing = expected.Except(planned).ToList();
        var extra = planned.Except(expected).ToList();
        if (missing.Count > 0 || extra.Count > 0 || planned.Count != expected.Count)
        {
            throw new ArgumentException(
                $"The plan does not match the model: {missing.Count} tensors unplanned ({string.Join(", ", missing.Take(3))}), " +
                $"{extra.Count} planned tensors unknown ({string.Join(", ", extra.Take(3))}), {planned.Count} planned for {expected.Count}.",
                nameof(plan));
        }
    }

    /// <summary>Frees every chunk and block.</summary>
    public void Dispose()
    {
        Group.Dispose();
        DisposeMasters();
        _pool.Dispose();
    }

    private void DisposeMasters()
    {
        foreach (var master in _masters)
        {
            master.Dispose();
        }

        _masters.Clear();
    }

    private static T Track<T>(List<IDisposable> cleanup, T item) where T : IDisposable
    {
        cleanup.Add(item);
        return item;
    }

    private (Chunk[] Chunks, Chunk[] Masters) BuildChunks(ModelDefinition model, Plan plan, EngineOptions options, IMemoryBackend backend, IKernels hostKernels)
    {
        var byName = new Dictionary<string, (LayoutInstance Instance, int Index)>(StringComparer.Ordinal);
        foreach (var instance in model.Instances)
        {
            for (int t = 0; t < instance.Table.Count; t++)
            {
                byName[instance.FullNames[t]] = (instance, t);
            }
        }

        using var initial = new InitialValues(backend, hostKernels, options.ParameterType);
        var chunks = new Chunk[plan.Chunks.Count];
        var masters = new Chunk[plan.Chunks.Count];
        for (int c = 0; c < plan.Chunks.Count; c++)
        {
            var chunkPlan = plan.Chunks[c];
            var location = options.Offload ? MemoryLocation.Host : chunkPlan.ShardLocation;
            var chunk = Group.OpenChunk(chunkPlan.Size, options.ParameterType, location, chunkPlan.IsFused);
            var master = new Chunk(
                _pool, _backend, _communicator, _kernels, chunkPlan.Size, DType.Float32, location, shardCategory: MemoryCategory.OptimizerState);
            _masters.Add(master);
            foreach (var tensor in chunkPlan.Tensors)
            {
                var (instance, index) = byName[tensor.Name];
                if (tensor.Offset != chunk.UsedElements)
                {
                    throw new ArgumentException(
                        $"The plan puts tensor '{tensor.Name}' at offset {tensor.Offset} of chunk {c}, but tensors are packed from 0 without gaps (next offset {chunk.UsedElements}).");
                }

                chunk.Append(instance.StorageBinding, instance.Counter, index, initial.Parameter(instance, index));
                master.Append(instance.MasterBinding, instance.MasterCounter, index, initial.Master(instance, index));
            }

            Group.CloseChunk(chunk);
            master.Close();
            foreach (var tensor in chunkPlan.Tensors)
            {
                initial.Placed(byName[tensor.Name].Instance);
            }

            chunk.InitPair(master);
            chunk.L2NormEnabled = true;
            chunks[c] = chunk;
            masters[c] = master;
        }

        return (chunks, masters);
    }
}
