using Elixir.Chunks;
using Elixir.Kernels;
using Elixir.Memory;
using Elixir.Numerics;
using Elixir.Optim;

namespace Elixir.Engine;

public sealed partial class TrainingEngine
{
    private bool _accumulatedOverflow;

    /// <summary>
    /// Updates the parameters from the gradients of the last <see cref="EngineOptions.AccumulationSteps"/> passes:
    /// agrees on overflow with every rank (all skip together and the loss scale backs off), takes the global
    /// gradient norm, and runs the optimizer on each rank's fp32 shards with the unscaling, averaging over
    /// micro-batches and clipping folded into one gradient factor. Every rank calls it.
    /// </summary>
    /// <exception cref="EngineUsageException">A pass is unfinished, or fewer or more passes ran than the accumulation steps.</exception>
    public StepResult Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RequireStepReady();
        float lossScale = LossScale;
        bool localOverflow = _accumulatedOverflow;
        double localSquares = 0;
        ReadReduceChecks();
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
        bool skip = _scaler?.Update(overflow) ?? overflow;
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

    private void RequireStepReady()
    {
        if (_open is not null)
        {
            throw new EngineUsageException($"Step while the {(_openBackward ? "backward" : "forward")} scope of module '{_open.Name}' is open.");
        }

        if (_pass != Pass.Idle)
        {
            var waiting = Model.Instances
                .SelectMany(i => Enumerable.Range(0, i.Table.Count).Where(t => i.BackwardUses[t] < i.ForwardUses[t] || i.ForwardUses[t] == 0).Select(t => i.FullNames[t]))
                .Take(3);
            throw new EngineUsageException(
                $"Step before the pass finished: {_reducedChunks} of {_chunks.Length} chunks are reduced; tensors without a gradient include {string.Join(", ", waiting)}.");
        }

        if (MicroBatches != _options.AccumulationSteps)
        {
            throw new EngineUsageException(
                $"Step after {MicroBatches} passes; the engine accumulates {_options.AccumulationSteps} micro-batches per step.");
        }
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
        ReadReduceChecks();
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

    private BufferSlice ValidPart(BufferSlice shard, int chunk) =>
        Elements(shard, DType.Float32, 0, _chunks[chunk].Shard.ValidCount);

    private static BufferSlice Elements(BufferSlice buffer, DType type, long start, long count) =>
        buffer.Slice(start * type.SizeOf(), count * type.SizeOf());
}
