using System.Collections.Immutable;
using System.Globalization;
using Elixir.Checkpoints;
using Elixir.Collectives;
using Elixir.Memory;
using Elixir.Numerics;
using Elixir.Optim;

namespace Elixir.Engine;

public sealed partial class TrainingEngine
{
    private const string StepKey = "elixir.step";
    private const string OptimizerKey = "elixir.optimizer";
    private const string ScaleKey = "elixir.loss_scale";
    private const string GrowthKey = "elixir.loss_scale_growth_step";
    private const string HysteresisKey = "elixir.loss_scale_hysteresis_step";

    /// <summary>
    /// The fp32 master value of every tensor, whole, by full name; every rank calls it (the shards are
    /// all-gathered) and every rank gets the result.
    /// </summary>
    public IReadOnlyDictionary<string, float[]> GatherParameters()
    {
        RequireIdle(nameof(GatherParameters));
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, _, data) in GatherWhole(includeState: false))
        {
            result[name] = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data.Span).ToArray();
        }

        return result;
    }

    /// <summary>
    /// Saves the fp32 master parameters, the optimizer state, the step count and the loss scaler to
    /// <paramref name="directory"/>: sharded, one safetensors file per rank plus <c>PREFIX.safetensors.index.json</c>
    /// (loadable on any world size), or consolidated, one <c>PREFIX.safetensors</c> written by rank 0 with the
    /// original tensor names and shapes. Every file carries the save's id and step; a sharded save becomes the
    /// checkpoint only once its index is written, after every rank file (see <see cref="ShardedCheckpoint"/>), so an
    /// interrupted save leaves the previous checkpoint as it was. Every rank calls it after a step.
    /// </summary>
    public void SaveCheckpoint(string directory, string prefix, bool consolidated)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        RequireIdle(nameof(SaveCheckpoint));
        var metadata = Metadata();
        var stamp = CheckpointStamp.Agree(_communicator, StepCount);
        stamp.AddTo(metadata);
        if (consolidated)
        {
            var pieces = GatherWhole(includeState: true);
            Agreed(() =>
            {
                if (_communicator.Rank == 0)
                {
                    Directory.CreateDirectory(directory);
                    ConsolidatedCheckpoint.Save(ConsolidatedPath(directory, prefix),
                        pieces.Select(p => new ShardData(Whole(p.Name, p.Shape), p.Data)), metadata);
                }
            }, "save the consolidated checkpoint");
            return;
        }

        Agreed(() =>
        {
            Directory.CreateDirectory(directory);
            if (_communicator.Rank == 0)
            {
                ShardedCheckpoint.Tidy(directory, prefix);
            }
        }, "prepare the checkpoint directory");
        Agreed(() =>
        {
            var slices = ShardSlices().Select(s => new ShardData(s.Shard, ReadBytes(s.Source))).ToList();
            ShardedCheckpoint.SaveRank(directory, prefix, stamp, _communicator.Rank, _communicator.WorldSize, slices, metadata);
        }, "save its checkpoint shard");
        Agreed(() =>
        {
            if (_communicator.Rank == 0)
            {
                ShardedCheckpoint.WriteIndex(directory, prefix, stamp, _communicator.WorldSize);
            }
        }, "write the checkpoint index");
    }

    /// <summary>
    /// Loads a checkpoint written by <see cref="SaveCheckpoint"/>, consolidated or sharded on any number of ranks.
    /// Names, shapes and types are checked and every byte is read on every rank before anything changes; a
    /// missing, corrupt or mismatched checkpoint throws on every rank and leaves the engine as it was.
    /// </summary>
    public void LoadCheckpoint(string directory, string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        RequireIdle(nameof(LoadCheckpoint));
        if (MicroBatches != 0 || _chunks.Any(c => c.IsGathered))
        {
            throw new EngineUsageException(
                $"LoadCheckpoint with {MicroBatches} accumulated micro-batches or gathered chunks; load between optimizer steps, before any pass.");
        }

        var slices = ShardSlices().ToList();
        var buffers = slices.Select(s => new byte[s.Shard.ByteCount]).ToArray();
        IReadOnlyDictionary<string, string>? metadata = null;
        Agreed(() =>
        {
            var targets = slices.Select((s, i) => new ShardTarget(s.Shard, buffers[i])).ToList();
            string consolidated = ConsolidatedPath(directory, prefix);
            string index = Path.Combine(directory, ShardedCheckpoint.IndexFileName(prefix));
            bool hasConsolidated = File.Exists(consolidated);
            bool hasIndex = File.Exists(index);
            if (hasConsolidated && hasIndex)
            {
                throw new IOException(
                    $"Checkpoint '{prefix}' in '{directory}' is ambiguous: both {Path.GetFileName(consolidated)} and {Path.GetFileName(index)} exist; remove one.");
            }

            if (hasConsolidated)
            {
                metadata = ConsolidatedCheckpoint.Load(consolidated, targets);
            }
            else if (hasIndex)
            {
                metadata = ShardedCheckpoint.Load(directory, prefix, targets);
            }
            else
            {
                throw new FileNotFoundException(
                    $"No checkpoint '{prefix}' in '{directory}': neither {Path.GetFileName(consolidated)} nor {ShardedCheckpoint.IndexFileName(prefix)} exists.");
            }

            ParseMetadata(metadata, directory, prefix);
            CheckpointValues.RequireFinite(Path.Combine(directory, prefix), slices.ConvertAll(s => s.Shard), buffers);
        }, "load the checkpoint");

        var (step, scaler) = ParseMetadata(metadata!, directory, prefix);
        for (int i = 0; i < slices.Count; i++)
        {
            WriteBytes(slices[i].Source, buffers[i]);
        }

        StepCount = step;
        if (scaler is { } state)
        {
            _scaler!.Restore(state);
        }

        foreach (var chunk in _chunks)
        {
            chunk.OptimizerUpdate();
        }
    }

    private static string ConsolidatedPath(string directory, string prefix) => Path.Combine(directory, prefix + ".safetensors");

    private void RequireIdle(string operation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_open is not null || _pass != Pass.Idle)
        {
            throw new EngineUsageException($"{operation} during a pass; call it between passes.");
        }
    }

    private Dictionary<string, string> Metadata()
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [StepKey] = StepCount.ToString(CultureInfo.InvariantCulture),
            [OptimizerKey] = OptimizerName,
        };
        if (_scaler is not null)
        {
            var state = _scaler.State;
            metadata[ScaleKey] = state.Scale.ToString("R", CultureInfo.InvariantCulture);
            metadata[GrowthKey] = state.GrowthStep.ToString(CultureInfo.InvariantCulture);
            metadata[HysteresisKey] = state.HysteresisStep.ToString(CultureInfo.InvariantCulture);
        }

        return metadata;
    }

    private string OptimizerName => _options.Adam is { } adam ? (adam.Decoupled ? "adamw" : "adam") : "sgd";

    private (int Step, LossScalerState? Scaler) ParseMetadata(IReadOnlyDictionary<string, string> metadata, string directory, string prefix)
    {
        string Value(string key) => metadata.TryGetValue(key, out var value)
            ? value
            : throw new CheckpointFormatException(directory, prefix, $"has no '{key}' in its metadata.");
        if (Value(OptimizerKey) != OptimizerName)
        {
            throw new CheckpointFormatException(directory, prefix, $"holds {Value(OptimizerKey)} state but the engine uses {OptimizerName}.");
        }

        if (!int.TryParse(Value(StepKey), NumberStyles.None, CultureInfo.InvariantCulture, out int step))
        {
            throw new CheckpointFormatException(directory, prefix, $"has step '{Value(StepKey)}', not a count.");
        }

        if (_scaler is null || !metadata.ContainsKey(ScaleKey))
        {
            return (step, null);
        }

        var state = new LossScalerState(
            float.Parse(Value(ScaleKey), CultureInfo.InvariantCulture),
            int.Parse(Value(GrowthKey), CultureInfo.InvariantCulture),
            int.Parse(Value(HysteresisKey), CultureInfo.InvariantCulture));
        if (!(state.Scale > 0f) || float.IsInfinity(state.Scale) || state.GrowthStep < 0 || state.HysteresisStep < 0)
        {
            throw new CheckpointFormatException(directory, prefix, $"has an invalid loss scaler state {state}.");
        }

        return (step, state);
    }

    /// <summary>The state kinds saved per tensor: the master values and the optimizer's buffers.</summary>
    private IEnumerable<(string Prefix, Func<int, BufferSlice> Shard)> StateKinds(bool includeState)
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

    /// <summary>Every piece of this rank's shards: a slice of a tensor, named and placed in the tensor, and where it lives.</summary>
    private IEnumerable<(TensorShard Shard, BufferSlice Source)> ShardSlices()
    {
        foreach (var (kind, shardOf) in StateKinds(includeState: true))
        {
            for (int c = 0; c < _masters.Length; c++)
            {
                var shard = _masters[c].Shard;
                foreach (var (tensor, begin, end) in ShardOverlaps(_masters[c]))
                {
                    var (name, shape) = Describe(tensor.Counter, tensor.Index);
                    var piece = new TensorShard(kind + name, shape, DType.Float32, begin - tensor.Offset, end - tensor.Offset);
                    yield return (piece, shardOf(c).Slice((begin - shard.Begin) * sizeof(float), (end - begin) * sizeof(float)));
                }
            }
        }
    }

    /// <summary>All-gathers every chunk's fp32 state and cuts it into whole tensors (every rank takes part).</summary>
    private List<(string Name, ImmutableArray<long> Shape, ReadOnlyMemory<byte> Data)> GatherWhole(bool includeState)
    {
        var result = new List<(string, ImmutableArray<long>, ReadOnlyMemory<byte>)>();
        foreach (var (kind, shardOf) in StateKinds(includeState))
        {
            for (int c = 0; c < _masters.Length; c++)
            {
                var master = _masters[c];
                using var full = _backend.Allocate(master.ChunkSize * sizeof(float), MemoryLocation.Device);
                var own = full.Slice(master.Shard.Begin * sizeof(float), master.ShardBytes);
                _backend.Copy(own, shardOf(c));
                _communicator.AllGather(own, full.All, DType.Float32);
                byte[] bytes = ReadBytes(full.All);
                foreach (var tensor in master.Tensors)
                {
                    var (name, shape) = Describe(tensor.Counter, tensor.Index);
                    result.Add((kind + name, shape, bytes.AsMemory((int)(tensor.Offset * sizeof(float)), (int)(tensor.ElementCount * sizeof(float)))));
                }
            }
        }

        return result;
    }

    private static TensorShard Whole(string name, ImmutableArray<long> shape)
    {
        long count = 1;
        foreach (long d in shape)
        {
            count *= d;
        }

        return new TensorShard(name, shape, DType.Float32, 0, count);
    }

    private (string Name, ImmutableArray<long> Shape) Describe(Layout.ITensorStateCounter masterCounter, int index)
    {
        var instance = _instanceOfMaster[masterCounter];
        return (instance.FullNames[index], instance.Table[index].Shape);
    }

    private byte[] ReadBytes(BufferSlice source)
    {
        if (_backend.Name == "host" || source.Location == MemoryLocation.Host)
        {
            return source.AsSpan<byte>().ToArray();
        }

        using var staging = _backend.Allocate(source.ByteLength, MemoryLocation.Host);
        _backend.Copy(staging.All, source);
        _backend.DefaultStream.Synchronize();
        return staging.All.AsSpan<byte>().ToArray();
    }

    private void WriteBytes(BufferSlice destination, byte[] data)
    {
        if (_backend.Name == "host" || destination.Location == MemoryLocation.Host)
        {
            data.CopyTo(destination.AsSpan<byte>());
            return;
        }

        using var staging = _backend.Allocate(data.Length, MemoryLocation.Host);
        data.CopyTo(staging.All.AsSpan<byte>());
        _backend.Copy(destination, staging.All);
        _backend.DefaultStream.Synchronize();
    }

    /// <summary>
    /// Runs <paramref name="action"/> on this rank, then agrees with every rank whether all succeeded: a failure
    /// anywhere throws everywhere (the local error where there is one, the failed rank's cause elsewhere), so no
    /// rank waits for a peer that gave up.
    /// </summary>
    private void Agreed(Action action, string what)
    {
        Exception? failure = null;
        try
        {
            action();
        }
        catch (Exception e) when (CheckpointAgreement.IsCheckpointFailure(e))
        {
            failure = e;
        }

        CheckpointAgreement.Agree(_communicator, _backend, failure, what);
    }
}
