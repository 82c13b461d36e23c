using Elixir.Chunks;
using Elixir.Collectives;
using Elixir.Fetching;
using Elixir.Kernels;
using Elixir.Kernels.Host;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Numerics;
using Elixir.Optim;
using Elixir.Planning;
using Elixir.Scheduling;

namespace Elixir.Engine;

/// <summary>
/// Trains the parameters of a <see cref="ModelDefinition"/> on one rank: builds the parameter chunks from a plan,
/// pairs each with an fp32 master chunk and optimizer state, gathers chunks for compute scopes, reduce-scatters
/// gradients as they complete, and updates the shards with Adam, AdamW or SGD under dynamic loss scaling and
/// global-norm clipping. Every rank builds its own engine over the same definition and plan; after warm-up a
/// training step allocates nothing.
/// </summary>
/// <remarks>
/// A pass runs each module forward (<see cref="Forward"/>), then each backward in reverse
/// (<see cref="Backward"/>); after <see cref="EngineOptions.AccumulationSteps"/> passes, <see cref="Step"/>
/// updates the parameters. Not thread-safe: an engine belongs to one rank.
/// </remarks>
public sealed partial class TrainingEngine : IDisposable
{
    private readonly EngineOptions _options;
    private readonly ICommunicator _communicator;
    private readonly IMemoryBackend _backend;
    private readonly IKernels _kernels;
    private readonly IKernels _hostKernels;
    private readonly RCache _pool;
    private readonly RCache _masterPool;
    private readonly ChunkGroup _group;
    private readonly ChunkGroup _masterGroup;
    private readonly Chunk[] _chunks;
    private readonly Chunk[] _masters;
    private readonly NativeBuffer?[] _firstMoments;
    private readonly NativeBuffer?[] _secondMoments;
    private readonly NativeBuffer?[] _accumulators;
    private readonly OptimizerSegment[] _segments;
    private readonly NativeBuffer _staging;
    private readonly NativeBuffer _gradientScratch;
    private readonly NativeBuffer _persistentGradients;
    private readonly DynamicLossScaler? _scaler;
    private readonly Dictionary<ITensorStateCounter, LayoutInstance> _instanceOfMaster = new(ReferenceEqualityComparer.Instance);
    private ChunkFetcher _fetcher;
    private long _retiredGathers;    // counters of the profiling fetcher, replaced once prefetch starts
    private long _retiredEvictions;
    private long _retiredReduces;
    private List<int>? _profile;
    private int[]? _profiledSteps;
    private bool _disposed;

    /// <summary>
    /// Builds the engine for this rank. <paramref name="plan"/> null: the minimum-waste plan for the
    /// communicator's world size and the options. <paramref name="kernels"/> run on the shards and blocks of
    /// <paramref name="backend"/>; offloaded shards on a device backend are updated by the host kernels.
    /// </summary>
    /// <exception cref="ArgumentException">Bad options, a plan for another model or world size, or a model definition misuse.</exception>
    public TrainingEngine(
        ModelDefinition model, ICommunicator communicator, IMemoryBackend backend, IKernels kernels, EngineOptions options, Plan? plan = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(kernels);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (model.IsFrozen)
        {
            throw new ArgumentException("The model definition is already used by another engine; each rank needs its own definition.", nameof(model));
        }

        model.Validate();
        Model = model;
        _options = options;
        _communicator = communicator;
        _backend = backend;
        _kernels = kernels;
        _hostKernels = backend.Name == "host" ? kernels : new HostKernels();
        Plan = plan ?? Planner.Create(model.PlanParameters(), new PlannerOptions
        {
            WorldSize = communicator.WorldSize,
            TrainingType = options.ParameterType,
            Offload = options.Offload,
            Prefetch = options.Prefetch,
            Optimizer = options.Sgd is null ? OptimizerKind.Adam : OptimizerKind.Sgd,
            AccumulationSteps = options.AccumulationSteps,
        });
        CheckPlan(Plan, model, communicator.WorldSize);
        _scaler = options.LossScaling is null ? null : new DynamicLossScaler(options.LossScaling);

        var location = backend.Name == "host" ? BindingLocation.Host : BindingLocation.Device;
        foreach (var instance in model.Instances)
        {
            instance.PrepareStorage(options.ParameterType, location);
            _instanceOfMaster[instance.MasterCounter] = instance;
        }

        var cleanup = new List<IDisposable>();
        try
        {
            var privateBlocks = Plan.PrivateChunks.Select(c => (c.Size, options.ParameterType)).ToArray();
            _pool = Track(cleanup, new RCache(backend, $"rcache{communicator.Rank}", Plan.RCache.BlockSize, options.ParameterType,
                Plan.RCache.PublicBlocks, privateBlocks));
            _masterPool = Track(cleanup, new RCache(backend, $"master{communicator.Rank}", 0, DType.Float32, 0));
            _group = Track(cleanup, new ChunkGroup(_pool, backend, communicator, kernels));
            _masterGroup = Track(cleanup, new ChunkGroup(_masterPool, backend, communicator, kernels));
            (_chunks, _masters) = BuildChunks(model, Plan);
            _reduceStatistics = Track(cleanup, DeferReduceChecks(backend, kernels));
            (_firstMoments, _secondMoments, _accumulators) = AllocateShardState(cleanup);
            _segments = BuildSegments();
            (_staging, _gradientScratch, _persistentGradients) = AllocateScratch(model, cleanup);
            _fetcher = Track(cleanup, CreateFetcher(new FifoScheduler(_chunks.Length), overlap: false));
            foreach (var instance in model.Instances)
            {
                for (int t = 0; t < instance.Table.Count; t++)
                {
                    instance.Handles[t] = ChunkFetcher.HandleOf(_group, instance.Counter, t);
                }
            }

            foreach (var module in model.Modules)
            {
                module.Group = _fetcher.CreateGroup(module.Tensors.Select(t => t.Instance.Handles[t.Index]).ToArray());
            }

            _profile = options.Prefetch ? [] : null;
            model.Freeze();
        }
        catch
        {
            for (int i = cleanup.Count - 1; i >= 0; i--)
            {
                cleanup[i].Dispose();
            }

            throw;
        }
    }

    /// <summary>The model the engine trains.</summary>
    public ModelDefinition Model { get; }

    /// <summary>The plan the chunks were built from.</summary>
    public Plan Plan { get; }

    /// <summary>This rank's communicator.</summary>
    public ICommunicator Communicator => _communicator;

    /// <summary>The loss scale gradients are multiplied by before they are stored (1 without loss scaling).</summary>
    public float LossScale => _scaler?.Scale ?? 1f;

    /// <summary>Optimizer updates applied so far.</summary>
    public int StepCount { get; private set; }

    /// <summary>Passes (micro-batches) completed since the last optimizer step.</summary>
    public int MicroBatches { get; private set; }

    /// <summary>The fetcher's counters: chunks gathered, evicted, reduced and prefetch hits so far.</summary>
    public (long Gathers, long Evictions, long Reduces, long PrefetchHits) FetchCounters =>
        (_fetcher.Gathers + _retiredGathers, _fetcher.Evictions + _retiredEvictions, _fetcher.Reduces + _retiredReduces, _fetcher.PrefetchHits);

    /// <summary>The bytes this rank's backend holds now, by location (chunks, rCache, optimizer state, scratch).</summary>
    public (long Device, long Host) MemoryBytes => (_backend.BytesAllocated(MemoryLocation.Device), _backend.BytesAllocated(MemoryLocation.Host));

    /// <summary>The parameter chunks, in plan order (for diagnostics).</summary>
    public IReadOnlyList<Chunk> Chunks => _chunks;

    /// <summary>Frees every chunk, block and buffer of this rank.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _fetcher.Dispose();
        foreach (var buffer in _firstMoments.Concat(_secondMoments).Concat(_accumulators))
        {
            buffer?.Dispose();
        }

        _staging.Dispose();
        _gradientScratch.Dispose();
        _persistentGradients.Dispose();
        _reduceStatistics.Dispose();
        _group.Dispose();
        _masterGroup.Dispose();
        _pool.Dispose();
        _masterPool.Dispose();
    }

    private static T Track<T>(List<IDisposable> cleanup, T item) where T : IDisposable
    {
        cleanup.Add(item);
        return item;
    }

    private static void CheckPlan(Plan plan, ModelDefinition model, int worldSize)
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

    private ChunkFetcher CreateFetcher(ChunkScheduler scheduler, bool overlap) =>
        new(_group, scheduler, _backend, overlap, _options.ReduceInFp32);

    private IKernels KernelsFor(MemoryLocation location) => location == MemoryLocation.Host ? _hostKernels : _kernels;

    private MemoryLocation LocationOf(ChunkPlan chunk) => _options.Offload ? MemoryLocation.Host : chunk.ShardLocation;

    private (Chunk[] Chunks, Chunk[] Masters) BuildChunks(ModelDefinition model, Plan plan)
    {
        var byName = new Dictionary<string, (LayoutInstance Instance, int Index)>(StringComparer.Ordinal);
        foreach (var instance in model.Instances)
        {
            for (int t = 0; t < instance.Table.Count; t++)
            {
                byName[instance.FullNames[t]] = (instance, t);
            }
        }

        using var initial = InitialValues.Create(model, _backend, _hostKernels, _options.ParameterType);
        var chunks = new Chunk[plan.Chunks.Count];
        var masters = new Chunk[plan.Chunks.Count];
        for (int c = 0; c < plan.Chunks.Count; c++)
        {
            var chunkPlan = plan.Chunks[c];
            var location = LocationOf(chunkPlan);
            var chunk = _group.OpenChunk(chunkPlan.Size, _options.ParameterType, location, chunkPlan.IsFused);
            var master = _masterGroup.OpenChunk(chunkPlan.Size, DType.Float32, location);
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

            _group.CloseChunk(chunk);
            _masterGroup.CloseChunk(master);
            chunk.InitPair(master);
            chunk.L2NormEnabled = true;
            chunks[c] = chunk;
            masters[c] = master;
        }

        return (chunks, masters);
    }

    private (NativeBuffer?[], NativeBuffer?[], NativeBuffer?[]) AllocateShardState(List<IDisposable> cleanup)
    {
        int n = _chunks.Length;
        var first = new NativeBuffer?[n];
        var second = new NativeBuffer?[n];
        var accumulators = new NativeBuffer?[n];
        bool adam = _options.Adam is not null;
        bool momentum = _options.Sgd?.NeedsMomentumBuffer ?? false;
        for (int c = 0; c < n; c++)
        {
            var location = _masters[c].ShardLocation;
            long bytes = _masters[c].ShardBytes;
            if (adam || momentum)
            {
                first[c] = Track(cleanup, Zeroed(bytes, location));
            }

            if (adam)
            {
                second[c] = Track(cleanup, Zeroed(bytes, location));
            }

            if (_options.AccumulationSteps > 1)
            {
                accumulators[c] = Track(cleanup, Zeroed(bytes, location));
            }
        }

        return (first, second, accumulators);
    }

    private NativeBuffer Zeroed(long bytes, MemoryLocation location)
    {
        var buffer = _backend.Allocate(Math.Max(bytes, sizeof(float)), location);
        _backend.Fill(buffer.All, 0);
        return buffer;
    }

    private OptimizerSegment[] BuildSegments()
    {
        var segments = new List<OptimizerSegment>();
        for (int c = 0; c < _chunks.Length; c++)
        {
            var shard = _chunks[c].Shard;
            foreach (var (tensor, begin, end) in ShardOverlaps(_masters[c]))
            {
                var instance = _instanceOfMaster[tensor.Counter];
                string name = instance.FullNames[tensor.Index];
                ref readonly var slot = ref instance.Table[tensor.Index];
                int group = _options.Adam?.GroupOf(name, slot) ?? _options.Sgd!.GroupOf(name, slot);
                var segment = new OptimizerSegment(c, begin - shard.Begin, end - begin, group);
                if (segments.Count > 0 && segments[^1] is var last && last.Pair == c && last.Group == group && last.Start + last.Count == segment.Start)
                {
                    segments[^1] = last with { Count = last.Count + segment.Count };
                }
                else
                {
                    segments.Add(segment);
                }
            }
        }

        return [.. segments];
    }

    private (NativeBuffer Staging, NativeBuffer Gradients, NativeBuffer Persistent) AllocateScratch(ModelDefinition model, List<IDisposable> cleanup)
    {
        const long Align = 64;
        long persistent = 0;
        foreach (var instance in model.Instances)
        {
            for (int t = 0; t < instance.Table.Count; t++)
            {
                if (instance.Modules[t].Count > 1 || instance.Table[t].MultiUse)
                {
                    instance.PersistentGradientOffsets[t] = persistent;
                    persistent += RoundUp(instance.Table[t].ElementCount * sizeof(float), Align);
                }
            }
        }

        long staging = 0;
        long gradients = 0;
        foreach (var module in model.Modules)
        {
            module.StagingOffsets = new long[module.Tensors.Length];
            module.GradientOffsets = new long[module.Tensors.Length];
            long stagingUsed = 0;
            long gradientUsed = 0;
            for (int i = 0; i < module.Tensors.Length; i++)
            {
                var (instance, t) = module.Tensors[i];
                long bytes = RoundUp(instance.Table[t].ElementCount * sizeof(float), Align);
                module.StagingOffsets[i] = instance.Staged[t] ? stagingUsed : -1;
                stagingUsed += instance.Staged[t] ? bytes : 0;
                bool shared = instance.PersistentGradientOffsets[t] >= 0;
                module.GradientOffsets[i] = shared ? -1 : gradientUsed;
                gradientUsed += shared ? 0 : bytes;
            }

            staging = Math.Max(staging, stagingUsed);
            gradients = Math.Max(gradients, gradientUsed);
        }

        return (
            Track(cleanup, _backend.Allocate(Math.Max(staging, Align), MemoryLocation.Device)),
            Track(cleanup, _backend.Allocate(Math.Max(gradients, Align), MemoryLocation.Device)),
            Track(cleanup, _backend.Allocate(Math.Max(persistent, Align), MemoryLocation.Device)));
    }

    /// <summary>Each tensor's part of <paramref name="chunk"/>'s valid shard, as element offsets in the chunk.</summary>
    private static IEnumerable<(ChunkTensor Tensor, long Begin, long End)> ShardOverlaps(Chunk chunk)
    {
        var shard = chunk.Shard;
        long shardEnd = shard.Begin + shard.ValidCount;
        foreach (var tensor in chunk.Tensors)
        {
            long begin = Math.Max(tensor.Offset, shard.Begin);
            long end = Math.Min(tensor.Offset + tensor.ElementCount, shardEnd);
            if (begin < end)
            {
                yield return (tensor, begin, end);
            }
        }
    }

    private static long RoundUp(long value, long multiple) => (value + multiple - 1) / multiple * multiple;
}
