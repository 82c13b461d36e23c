using System.Collections.Immutable;
using System.Globalization;
using Elixir.Chunks;
using Elixir.Collectives;
using Elixir.Engine;
using Elixir.Memory;
using Elixir.Numerics;
using Elixir.Optim;

namespace Elixir.Checkpoints;

/// <summary>
/// The engine's checkpoints: saves and loads the fp32 masters, the optimizer state, the step count and the loss
/// scaler as safetensors (sharded per rank or consolidated), and gathers whole parameters. Every file operation
/// is agreed across ranks, so a failure on one rank throws on all and changes nothing.
/// </summary>
internal sealed class EngineCheckpoints
{
    private const string StepKey = "elixir.step";
    private const string OptimizerKey = "elixir.optimizer";
    private const string ScaleKey = "elixir.loss_scale";
    private const string GrowthKey = "elixir.loss_scale_growth_step";
    private const string HysteresisKey = "elixir.loss_scale_hysteresis_step";

    private readonly ShardOptimizer _optimizer;
    private readonly IReadOnlyList<Chunk> _chunks;
    private readonly ModelState _model;
    private readonly ICommunicator _communicator;
    private readonly IMemoryBackend _backend;

    public EngineCheckpoints(ShardOptimizer optimizer, IReadOnlyList<Chunk> chunks, ModelState model, ICommunicator communicator, IMemoryBackend backend)
    {
        _optimizer = optimizer;
        _chunks = chunks;
        _model = model;
        _communicator = communicator;
        _backend = backend;
    }

    /// <summary>The fp32 master value of every tensor, whole, by full name; every rank calls it.</summary>
    public IReadOnlyDictionary<string, float[]> GatherParameters()
    {
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, _, _, data) in GatherWhole(includeState: false))
        {
            result[name] = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data.Span).ToArray();
        }

        return result;
    }

    /// <summary>Saves a checkpoint; see <see cref="TrainingEngine.SaveCheckpoint"/>.</summary>
    public void Save(string directory, string prefix, bool consolidated)
    {
        var metadata = Metadata();
        var stamp = CheckpointStamp.Agree(_communicator, _optimizer.StepCount);
        stamp.AddTo(metadata);
        if (consolidated)
        {
            var pieces = GatherWhole(includeState: true);
            _communicator.Agreed(_backend, () =>
            {
                if (_communicator.Rank == 0)
                {
                    Directory.CreateDirectory(directory);
                    ConsolidatedCheckpoint.Save(ConsolidatedPath(directory, prefix),
                        pieces.Select(p => new ShardData(Whole(p.ExternalName, p.Shape), p.Data)), metadata);
                }
            }, "save the consolidated checkpoint");
            return;
        }

        _communicator.Agreed(_backend, () =>
        {
            Directory.CreateDirectory(directory);
            if (_communicator.Rank == 0)
            {
                ShardedCheckpoint.Tidy(directory, prefix);
            }
        }, "prepare the checkpoint directory");
        _communicator.Agreed(_backend, () =>
        {
            var slices = ShardSlices().Select(s => new ShardData(s.Shard, ReadBytes(s.Source))).ToList();
            ShardedCheckpoint.SaveRank(directory, prefix, stamp, _communicator.Rank, _communicator.WorldSize, slices, metadata);
        }, "save its checkpoint shard");
        _communicator.Agreed(_backend, () =>
        {
            if (_communicator.Rank == 0)
            {
                ShardedCheckpoint.WriteIndex(directory, prefix, stamp, _communicator.WorldSize);
            }
        }, "write the checkpoint index");
    }

    /// <summary>Loads a checkpoint; see <see cref="TrainingEngine.LoadCheckpoint"/>.</summary>
    public void Load(string directory, string prefix)
    {
        if (_optimizer.MicroBatches != 0 || _chunks.Any(c => c.IsGathered))
        {
            throw new EngineUsageException(
                $"LoadCheckpoint with {_optimizer.MicroBatches} accumulated micro-batches or gathered chunks; load between optimizer steps, before any pass.");
        }

        var slices = ShardSlices().ToList();
        var buffers = slices.Select(s => new byte[s.Shard.ByteCount]).ToArray();
        IReadOnlyDictionary<string, string>? metadata = null;
        _communicator.Agreed(_backend, () =>
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
                metadata = ConsolidatedCheckpoint.Load(consolidated,
                    slices.Select((s, i) => new ShardTarget(s.Shard with { Name = s.ExternalName }, buffers[i])).ToList());
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

        _optimizer.StepCount = step;
        if (scaler is { } state)
        {
            _optimizer.Scaler!.Restore(state);
        }

        foreach (var chunk in _chunks)
        {
            chunk.RefreshFromMaster();
        }
    }

    /// <summary>Sets the parameters from a file of whole tensors; see <see cref="TrainingEngine.LoadParameters"/>.</summary>
    public void LoadParameters(string path, Func<string, bool> ignorable)
    {
        if (_optimizer.MicroBatches != 0 || _chunks.Any(c => c.IsGathered))
        {
            throw new EngineUsageException(
                $"LoadParameters with {_optimizer.MicroBatches} accumulated micro-batches or gathered chunks; load between optimizer steps, before any pass.");
        }

        var expected = _model.Model.Instances
            .SelectMany(i => Enumerable.Range(0, i.Table.Count).Select(t => (i.ExternalNames[t], i.Table[t].Shape)))
            .ToList();
        var slices = ShardSlices(includeState: false).ToList();
        var buffers = new byte[slices.Count][];
        _communicator.Agreed(_backend, () =>
        {
            // A consolidated checkpoint also holds the optimizer state; only its parameters are taken.
            var values = ParameterFile.Read(path, expected, n => n.StartsWith("optimizer.", StringComparison.Ordinal) || ignorable(n));
            for (int i = 0; i < slices.Count; i++)
            {
                var shard = slices[i].Shard;
                var part = values[slices[i].ExternalName].AsSpan((int)shard.Start, (int)(shard.End - shard.Start));
                buffers[i] = System.Runtime.InteropServices.MemoryMarshal.AsBytes(part).ToArray();
            }

            CheckpointValues.RequireFinite(path, slices.ConvertAll(s => s.Shard with { Name = s.ExternalName }), buffers);
        }, "load the parameters");

        for (int i = 0; i < slices.Count; i++)
        {
            WriteBytes(slices[i].Source, buffers[i]);
        }

        foreach (var chunk in _chunks)
        {
            chunk.RefreshFromMaster();
        }
    }

    private static string ConsolidatedPath(string directory, string prefix) => Path.Combine(directory, prefix + ".safetensors");

    private Dictionary<string, string> Metadata()
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [StepKey] = _optimizer.StepCount.ToString(CultureInfo.InvariantCulture),
            [OptimizerKey] = _optimizer.Name,
        };
        if (_optimizer.Scaler is { } scaler)
        {
            var state = scaler.State;
            metadata[ScaleKey] = state.Scale.ToString("R", CultureInfo.InvariantCulture);
            metadata[GrowthKey] = state.GrowthStep.ToString(CultureInfo.InvariantCulture);
            metadata[HysteresisKey] = state.HysteresisStep.ToString(CultureInfo.InvariantCulture);
        }

        return metadata;
    }

    private (int Step, LossScalerState? Scaler) ParseMetadata(IReadOnlyDictionary<string, string> metadata, string directory, string prefix)
    {
        string Value(string key) => metadata.TryGetValue(key, out var value)
            ? value
            : throw new CheckpointFormatException(directory, prefix, $"has no '{key}' in its metadata.");
        if (Value(OptimizerKey) != _optimizer.Name)
        {
            throw new CheckpointFormatException(directory, prefix, $"holds {Value(OptimizerKey)} state but the engine uses {_optimizer.Name}.");
        }

        if (!int.TryParse(Value(StepKey), NumberStyles.None, CultureInfo.InvariantCulture, out int step))
        {
            throw new CheckpointFormatException(directory, prefix, $"has step '{Value(StepKey)}', not a count.");
        }

        if (_optimizer.Scaler is null || !metadata.ContainsKey(ScaleKey))
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

    /// <summary>
    /// Every piece of this rank's shards: a slice of a tensor, named and placed in the tensor, its name in consolidated
    /// checkpoints, and where it lives.
    /// </summary>
    private IEnumerable<(TensorShard Shard, string ExternalName, BufferSlice Source)> ShardSlices(bool includeState = true)
    {
        var masters = _optimizer.Masters;
        foreach (var (kind, shardOf) in _optimizer.StateKinds(includeState))
        {
            for (int c = 0; c < masters.Count; c++)
            {
                var shard = masters[c].Shard;
                foreach (var (tensor, begin, end) in ShardOptimizer.ShardOverlaps(masters[c]))
                {
                    var (name, externalName, shape) = _model.Describe(tensor.Counter, tensor.Index);
                    var piece = new TensorShard(kind + name, shape, DType.Float32, begin - tensor.Offset, end - tensor.Offset);
                    yield return (piece, kind + externalName, shardOf(c).Slice((begin - shard.Begin) * sizeof(float), (end - begin) * sizeof(float)));
                }
            }
        }
    }

    /// <summary>
    /// All-gathers every chunk's fp32 state and cuts it into whole tensors, each with its full and external name
    /// (every rank takes part).
    /// </summary>
    private List<(string Name, string ExternalName, ImmutableArray<long> Shape, ReadOnlyMemory<byte> Data)> GatherWhole(bool includeState)
    {
        var masters = _optimizer.Masters;
        var result = new List<(string, string, ImmutableArray<long>, ReadOnlyMemory<byte>)>();
        foreach (var (kind, shardOf) in _optimizer.StateKinds(includeState))
        {
            for (int c = 0; c < masters.Count; c++)
            {
                var master = masters[c];
                using var full = _backend.Allocate(master.ChunkSize * sizeof(float), MemoryLocation.Device, MemoryCategory.TransientIO);
                var own = full.Slice(master.Shard.Begin * sizeof(float), master.ShardBytes);
                _backend.Copy(own, shardOf(c));
                _communicator.AllGather(own, full.All, DType.Float32);
                byte[] bytes = ReadBytes(full.All);
                foreach (var tensor in master.Tensors)
                {
                    var (name, externalName, shape) = _model.Describe(tensor.Counter, tensor.Index);
                    result.Add((kind + name, kind + externalName, shape, bytes.AsMemory((int)(tensor.Offset * sizeof(float)), (int)(tensor.ElementCount * sizeof(float)))));
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

    private byte[] ReadBytes(BufferSlice source)
    {
        // Device memory is read through a host staging buffer on every backend, so a save takes the same memory
        // on the host backend as on a GPU and the plan's checkpoint peak holds for both.
        if (source.Location == MemoryLocation.Host)
        {
            return source.AsSpan<byte>().ToArray();
        }

        using var staging = _backend.Allocate(source.ByteLength, MemoryLocation.Host, MemoryCategory.TransientIO);
        _backend.Copy(staging.All, source);
        _backend.DefaultStream.Synchronize();
        return staging.All.AsSpan<byte>().ToArray();
    }

    private void WriteBytes(BufferSlice destination, byte[] data)
    {
        if (destination.Location == MemoryLocation.Host)
        {
            data.CopyTo(destination.AsSpan<byte>());
            return;
        }

        using var staging = _backend.Allocate(data.Length, MemoryLocation.Host, MemoryCategory.TransientIO);
        data.CopyTo(staging.All.AsSpan<byte>());
        _backend.Copy(destination, staging.All);
        _backend.DefaultStream.Synchronize();
    }
}
