using System.Text;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Chunks;

/// <summary>Whole-tensor copies out of and into a chunk (checkpoints), and the diagnostic dump.</summary>
public sealed partial class Chunk
{
    /// <summary>
    /// Returns a host copy of every tensor, in append order, gathering the chunk temporarily if it is
    /// scattered. With <paramref name="onlyRank0"/> the other ranks get null entries. Every rank must call it.
    /// </summary>
    internal T[]?[] GetHostCopy<T>(bool onlyRank0 = false) where T : unmanaged
    {
        RequireClosed(nameof(GetHostCopy));
        RequireElementType<T>(nameof(GetHostCopy));
        var copies = new T[]?[_tensors.Count];
        NativeBuffer? gathered = IsGathered ? null : GatherIntoTemporary();
        try
        {
            if (!onlyRank0 || Communicator.Rank == 0)
            {
                using var staging = _backend.Allocate(ChunkBytes, MemoryLocation.Host);
                _backend.Copy(staging.All, gathered?.All ?? _block!.Payload);
                _backend.DefaultStream.Synchronize();
                for (int i = 0; i < _tensors.Count; i++)
                {
                    copies[i] = TensorSlice(staging.All, _tensors[i]).AsSpan<T>().ToArray();
                }
            }
        }
        finally
        {
            gathered?.Dispose();
        }

        Communicator.Barrier();
        return copies;
    }

    /// <summary>
    /// Replaces the values of the tensors whose entries in <paramref name="tensors"/> are not null (append
    /// order, each of the tensor's element count) in the scattered chunk. With <paramref name="onlyRank0"/> only
    /// rank 0's list is read and broadcast to the others. Every rank must call it.
    /// </summary>
    internal void LoadTensors<T>(IReadOnlyList<T[]?>? tensors, bool onlyRank0 = false) where T : unmanaged
    {
        RequireClosed(nameof(LoadTensors));
        RequireElementType<T>(nameof(LoadTensors));
        if (IsGathered)
        {
            ThrowState(nameof(LoadTensors), "it is gathered");
        }

        bool reads = !onlyRank0 || Communicator.Rank == 0;
        if (reads)
        {
            ValidateLoad(tensors);
        }

        using var gathered = GatherIntoTemporary();
        if (reads)
        {
            using var staging = _backend.Allocate(ChunkBytes, MemoryLocation.Host);
            _backend.Copy(staging.All, gathered.All);
            _backend.DefaultStream.Synchronize();
            for (int i = 0; i < _tensors.Count; i++)
            {
                tensors![i]?.CopyTo(TensorSlice(staging.All, _tensors[i]).AsSpan<T>());
            }

            _backend.Copy(gathered.All, staging.All);
            _backend.DefaultStream.Synchronize();
        }

        Communicator.Barrier();
        if (onlyRank0)
        {
            Communicator.Broadcast(gathered.All, DType, root: 0);
        }

        _backend.Copy(_shard.All, gathered.All.Slice(Shard.Begin * DType.SizeOf(), ShardBytes));
        MarkSynced();
    }

    /// <summary>A readable multi-line description: the chunk, its shard, and each tensor's range and state.</summary>
    internal string Describe()
    {
        var text = new StringBuilder().AppendLine(ToString());
        text.Append("  state counts:");
        for (int s = 0; s < _stateCounts.Length; s++)
        {
            text.Append(' ').Append((Layout.TensorState)s).Append('=').Append(_stateCounts[s]);
        }

        text.AppendLine();
        text.Append("  overflow=").Append(Overflow).Append(" l2^2=").Append(L2NormSquared?.ToString("R") ?? "-")
            .Append(" synced=").Append(OptimizerSynced).Append(" paired=").AppendLine(Paired is null ? "-" : $"#{Paired.Id}");
        foreach (var tensor in _tensors)
        {
            text.Append("  ").AppendLine(tensor.ToString());
        }

        return text.ToString();
    }

    private NativeBuffer GatherIntoTemporary()
    {
        var buffer = _backend.Allocate(ChunkBytes, MemoryLocation.Device);
        try
        {
            var own = buffer.Slice(Shard.Begin * DType.SizeOf(), ShardBytes);
            CopyParameterShardInto(own, stream: null);
            Communicator.AllGather(own, buffer.All, DType);
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private void ValidateLoad<T>(IReadOnlyList<T[]?>? tensors)
    {
        if (tensors is null || tensors.Count != _tensors.Count)
        {
            throw new ArgumentException(
                $"Chunk #{Id} holds {_tensors.Count} tensors but {tensors?.Count ?? 0} were given to load.", nameof(tensors));
        }

        for (int i = 0; i < tensors.Count; i++)
        {
            if (tensors[i] is { } values && values.LongLength != _tensors[i].ElementCount)
            {
                throw new ArgumentException(
                    $"Chunk #{Id}: tensor '{_tensors[i].Name}' has {_tensors[i].ElementCount} elements but {values.Length} were given.",
                    nameof(tensors));
            }
        }
    }

    private void RequireElementType<T>(string operation) where T : unmanaged
    {
        if (DTypeInfo.Of<T>() != DType)
        {
            ThrowState(operation, $"it holds {DType}, not {typeof(T).Name}");
        }
    }
}
