using Elixir.Chunks;
using Elixir.Collectives;
using Elixir.Engine;
using Elixir.Kernels;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Optim;

/// <summary>
/// The optimizer over this rank's shards: the fp32 master chunks, the moments (or momentum) and gradient
/// accumulators beside them, the runs of each shard that share a parameter group, and the dynamic loss scaler.
/// After each pass it accumulates the reduced gradients (with several micro-batches per step); a step agrees on
/// overflow and the global norm with every rank and updates the masters, refreshing the parameter shards.
/// </summary>
internal sealed class ShardOptimizer : IDisposable
{
    private readonly EngineOptions _options;
    private readonly ICommunicator _communicator;
    private readonly IMemoryBackend _backend;
    private readonly IKernels _kernels;
    private readonly IKernels _hostKernels;
    private readonly Chunk[] _chunks;
    private readonly Chunk[] _masters;
    private readonly NativeBuffer?[] _firstMoments;
    private readonly NativeBuffer?[] _secondMoments;
    private readonly NativeBuffer?[] _accumulators;
    private readonly OptimizerSegment[] _segments;

    // Every chunk's overflow flag and sum of squares, accumulated on the device as chunks reduce and read once.
    private readonly ReduceStatistics _reduceStatistics;
    private bool _accumulatedOverflow;

    /// <param name="chunks">The parameter chunks, each paired with its master in <paramref name="masters"/>.</param>
    /// <param name="masters">The fp32 master chunks.</param>
    /// <param name="slotOf">The full name and table row of a tensor a master chunk holds, for the parameter groups.</param>
    /// <param name="options">The engine's optimizer, accumulation, clipping and loss-scaling options.</param>
    /// <param name="communicator">This rank's communicator, for the overflow vote and the global norm.</param>
    /// <param name="backend">Where the optimizer state is allocated.</param>
    /// <param name="kernels">The kernels for device shards.</param>
    /// <param name="hostKernels">The kernels for offloaded shards.</param>
    public ShardOptimizer(
        Chunk[] chunks, Chunk[] masters, Func<ITensorStateCounter, int, (string Name, TensorSlot Slot)> slotOf, EngineOptions options,
        ICommunicator communicator, IMemoryBackend backend, IKernels kernels, IKernels hostKernels)
    {
        _chunks = chunks;
        _masters = masters;
        _options = options;
        _communicator = communicator;
        _backend = backend;
        _kernels = kernels;
        _hostKernels = hostKernels;
        Scaler = options.LossScaling is null ? null : new DynamicLossScaler(options.LossScaling);
        int n = chunks.Length;
        _firstMoments = new NativeBuffer?[n];
        _secondMoments = new NativeBuffer?[n];
        _accumulators = new NativeBuffer?[n];
        _reduceStatistics = new ReduceStatistics(backend, kernels, n);
        try
        {
            AllocateShardState();
            DeferReduceChecks();
        }
        catch
        {
            Dispose();
            throw;
        }

        _segments = BuildSegments(slotOf);
    }

    /// <summary>The dynamic loss scaler, or null without loss scaling.</summary>
    public DynamicLossScaler? Scaler { get; }

    /// <summary>The loss scale gradients are multiplied by before they are stored (1 without loss scaling).</summary>
    public float LossScale => Scaler?.Scale ?? 1f;

    /// <summary>Optimizer updates applied so far.</summary>
    public int StepCount { get; set; }

    /// <summary>Passes (micro-batches) completed since the last optimizer step.</summary>
    public int MicroBatches { get; private set; }

    /// <summary>The fp32 master chunks.</summary>
    public IReadOnlyList<Chunk> Masters => _masters;

    /// <summary>The optimizer's name in checkpoints.</summary>
    public string Name => _options.Adam is { } adam ? (adam.Decoupled ? "adamw" : "adam") : "sgd";

    /// <summary>Ends a pass whose gradients are all reduced into the shards.</summary>
    public void EndMicroBatch()
    {
        if (_options.AccumulationSteps > 1)
        {
            AccumulateGradients();
        }

        MicroBatches++;
    }

    /// <summary>Checks that exactly the accumulation steps' passes ran since the last step.</summary>
    public void RequireStepReady()
    {
        if (MicroBatches != _options.AccumulationSteps)
        {
            throw new EngineUsageException(
                $"Step after {MicroBatches} passes; the engine accumulates {_options.AccumulationSteps} micro-batches per step.");
        }
    }

    /// <summary>
    /// Agrees on overflow with every rank (all skip together and the loss scale backs off), takes the global
    /// gradient norm, and updates each master shard with the unscaling, averaging over micro-batches and clipping
    /// folded into one gradient factor.
    /// </summary>
    public StepResult Step()
    {
        float lossScale = LossScale;
        bool localOverflow = _accumulatedOverflow;
        double localSquares = 0;
        _reduceStatistics.Read();
        for (int c = 0; c < _chunks.Length; c++)
        {
            if (_accumulators[c] is { } accumulator)
            {
                var valid = ValidPart(accumulator.All, c);
                var kernels = KernelsFor(_masters[c].ShardLocation);
                localOverflow |= kernels.HasNonFinite(valid, DType.Float32);
                localSquares += localOverflow ? 0 : kernels.SumOfSquares(valid, DType.Float32);
            }
            else
            {
                localOverflow |= _reduceStatistics.Overflow(c);
                localSquares += _reduceStatistics.SumOfSquares(c);
            }
        }

        bool overflow = OverflowVote.AnyRank(_communicator, localOverflow);
        bool skip = Scaler?.Update(overflow) ?? overflow;
        if (skip)
        {
            FinishStep(restoreParameters: true);
            return new StepResult(true, StepCount, lossScale, double.NaN, false);
        }

        double globalSquares = GradientClipping.GlobalSquaredNorm(_communicator, localSquares);
        float carried = lossScale * _options.AccumulationSteps;
        double combined = GradientClipping.CombinedScale(globalSquares, carried, _options.MaxGradientNorm);
        float gradientScale = (float)(1.0 / combined);
        StepCount++;
        foreach (var segment in _segments)
        {
            Update(segment, gradientScale);
        }

        FinishStep(restoreParameters: false);
        return new StepResult(false, StepCount, lossScale, Math.Sqrt(globalSquares) / carried, combined != carried);
    }

    /// <summary>The state kinds saved per tensor: the master values and, with <paramref name="includeState"/>, the optimizer's buffers.</summary>
    public IEnumerable<(string Prefix, Func<int, BufferSlice> Shard)> StateKinds(bool includeState)
    {
        yield return ("", c => _masters[c].ShardPayload);
        if (!includeState)
        {
            yield break;
        }

        if (_options.Adam is not null)
        {
            yield return ("optimizer.exp_avg.", c => _firstMoments[c]!.All);
            yield return ("optimizer.exp_avg_sq.", c => _secondMoments[c]!.All);
        }
        else if (_firstMoments.Length > 0 && _firstMoments[0] is not null)
        {
            yield return ("optimizer.momentum_buffer.", c => _firstMoments[c]!.All);
        }
    }

    /// <summary>Each tensor's part of <paramref name="chunk"/>'s valid shard, as element offsets in the chunk.</summary>
    public static IEnumerable<(ChunkTensor Tensor, long Begin, long End)> ShardOverlaps(Chunk chunk)
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

    /// <summary>Frees the moments, accumulators and reduce statistics.</summary>
    public void Dispose()
    {
        foreach (var buffer in _firstMoments.Concat(_secondMoments).Concat(_accumulators))
        {
            buffer?.Dispose();
        }

        _reduceStatistics.Dispose();
    }

    private IKernels KernelsFor(MemoryLocation location) => location == MemoryLocation.Host ? _hostKernels : _kernels;

    private void AllocateShardState()
    {
        bool adam = _options.Adam is not null;
        bool momentum = _options.Sgd?.NeedsMomentumBuffer ?? false;
        for (int c = 0; c < _chunks.Length; c++)
        {
            var location = _masters[c].ShardLocation;
            long bytes = _masters[c].ShardBytes;
            if (adam || momentum)
            {
                _firstMoments[c] = Zeroed(bytes, location, MemoryCategory.OptimizerState);
            }

            if (adam)
            {
                _secondMoments[c] = Zeroed(bytes, location, MemoryCategory.OptimizerState);
            }

            if (_options.AccumulationSteps > 1)
            {
                _accumulators[c] = Zeroed(bytes, location, MemoryCategory.Gradients);
            }
        }
    }

    /// <summary>
    /// Gives each chunk a slot of one step-wide <see cref="ReduceStatistics"/>: reducing a chunk then queues its
    /// checks instead of waiting for the GPU after every chunk, and the step reads all of them once.
    /// </summary>
    private void DeferReduceChecks()
    {
        for (int c = 0; c < _chunks.Length; c++)
        {
            _chunks[c].DeferReduceChecks(_reduceStatistics, c);
        }
    }

    private NativeBuffer Zeroed(long bytes, MemoryLocation location, MemoryCategory category)
    {
        var buffer = _backend.Allocate(Math.Max(bytes, sizeof(float)), location, category);
        _backend.Fill(buffer.All, 0);
        return buffer;
    }

    private OptimizerSegment[] BuildSegments(Func<ITensorStateCounter, int, (string Name, TensorSlot Slot)> slotOf)
    {
        var segments = new List<OptimizerSegment>();
        for (int c = 0; c < _chunks.Length; c++)
        {
            var shard = _chunks[c].Shard;
            foreach (var (tensor, begin, end) in ShardOverlaps(_masters[c]))
            {
                var (name, slot) = slotOf(tensor.Counter, tensor.Index);
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

    private void Update(in OptimizerSegment segment, float gradientScale)
    {
        var chunk = _chunks[segment.Pair];
        var master = _masters[segment.Pair];
        var location = master.ShardLocation;
        var kernels = KernelsFor(location);
        long start = segment.Start;
        long count = segment.Count;
        var masterSlice = Elements(master.ShardPayload, DType.Float32, start, count);
        var (gradient, gradientType) = _accumulators[segment.Pair] is { } accumulator
            ? (Elements(accumulator.All, DType.Float32, start, count), DType.Float32)
            : (Elements(chunk.ShardPayload, chunk.DType, start, count), chunk.DType);

        // The kernel writes the rounded parameters into the shard wherever it lives: an offloaded shard then holds
        // 16-bit values for the next gather to move over PCIe, half the bytes of the fp32 master.
        var parameter = Elements(chunk.ShardPayload, chunk.DType, start, count);
        var first = _firstMoments[segment.Pair] is { } m ? Elements(m.All, DType.Float32, start, count) : default;
        if (_options.Adam is { } adam)
        {
            var second = Elements(_secondMoments[segment.Pair]!.All, DType.Float32, start, count);
            kernels.Adam(masterSlice, first, second, gradient, gradientType, parameter, chunk.DType,
                adam.KernelParameters(segment.Group, StepCount, gradientScale));
        }
        else
        {
            kernels.Sgd(masterSlice, first, gradient, gradientType, parameter, chunk.DType,
                _options.Sgd!.KernelParameters(segment.Group, StepCount == 1, gradientScale));
        }
    }

    private void FinishStep(bool restoreParameters)
    {
        for (int c = 0; c < _chunks.Length; c++)
        {
            var chunk = _chunks[c];
            chunk.ResetReduceInfo();
            if (_accumulators[c] is { } accumulator)
            {
                _backend.Fill(accumulator.All, 0);
            }
            else if (restoreParameters)
            {
                // The shard holds the reduced gradient: bring the parameters back.
                RefreshFromMaster(c);
            }
            else if (chunk.ShardLocation == MemoryLocation.Host)
            {
                chunk.MarkRefreshedByOptimizer();
            }
        }

        _accumulatedOverflow = false;
        MicroBatches = 0;
    }

    /// <summary>
    /// Adds each shard's reduced gradient into its fp32 accumulator and puts the parameters back in the shard for
    /// the next micro-batch. The addition is an SGD step with learning rate -1 and no momentum (master += gradient),
    /// so every backend does it with a kernel it already has.
    /// </summary>
    private void AccumulateGradients()
    {
        var add = new SgdParameters(-1f, 0f, 0f, 0f, false, false, 1f);
        _reduceStatistics.Read();
        for (int c = 0; c < _chunks.Length; c++)
        {
            var chunk = _chunks[c];
            var accumulator = _accumulators[c]!;
            _accumulatedOverflow |= _reduceStatistics.Overflow(c);
            long valid = chunk.Shard.ValidCount;
            if (valid > 0)
            {
                KernelsFor(chunk.ShardLocation).Sgd(
                    Elements(accumulator.All, DType.Float32, 0, valid), default,
                    Elements(chunk.ShardPayload, chunk.DType, 0, valid), chunk.DType, default, chunk.DType, add);
            }

            chunk.ResetReduceInfo();
            RefreshFromMaster(c);
        }
    }

    /// <summary>
    /// Puts chunk <paramref name="c"/>'s parameters back into its shard from the fp32 master. Device shards are cast
    /// on the device. Offloaded shards are cast on the host now, where the master lives, instead of lazily at the
    /// next gather: that gather would otherwise read the fp32 master across PCIe, twice the bytes of the shard.
    /// </summary>
    private void RefreshFromMaster(int c)
    {
        var chunk = _chunks[c];
        if (chunk.ShardLocation == MemoryLocation.Host)
        {
            _hostKernels.Cast(_masters[c].ShardPayload, DType.Float32, chunk.ShardPayload, chunk.DType);
            chunk.MarkRefreshedByOptimizer();
        }
        else
        {
            chunk.RefreshFromMaster();
        }
    }

    private BufferSlice ValidPart(BufferSlice shard, int chunk) =>
        Elements(shard, DType.Float32, 0, _chunks[chunk].Shard.ValidCount);

    private static BufferSlice Elements(BufferSlice buffer, DType type, long start, long count) =>
        buffer.Slice(start * type.SizeOf(), count * type.SizeOf());
}
