using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Chunks;

/// <summary>The pairing of a low-precision parameter chunk with its fp32 master chunk.</summary>
public sealed partial class Chunk
{
    /// <summary>The chunk holding the same tensors in another type (fp32 master weights), or null.</summary>
    public Chunk? Paired { get; private set; }

    /// <summary>
    /// False after an optimizer step on an offloaded chunk: the shard is stale and the next gather reads the
    /// paired chunk's shard instead (the lazy refresh).
    /// </summary>
    public bool OptimizerSynced { get; private set; } = true;

    /// <summary>Pairs this chunk with <paramref name="other"/> both ways; pairing the same two chunks again is allowed.</summary>
    public void InitPair(Chunk other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Paired is null && other.Paired is null)
        {
            if (other.ChunkSize != ChunkSize || other.TensorCount != TensorCount)
            {
                throw new ArgumentException(
                    $"Chunk #{Id} ({ChunkSize} elements, {TensorCount} tensors) cannot pair with chunk #{other.Id} " +
                    $"({other.ChunkSize} elements, {other.TensorCount} tensors).", nameof(other));
            }

            Paired = other;
            other.Paired = this;
        }
        else if (!ReferenceEquals(Paired, other) || !ReferenceEquals(other.Paired, this))
        {
            throw new ChunkStateException(
                $"Chunk #{Id} is paired with #{Paired?.Id.ToString() ?? "none"} and chunk #{other.Id} with " +
                $"#{other.Paired?.Id.ToString() ?? "none"}; they cannot pair with each other.");
        }
    }

    /// <summary>
    /// Called after the optimizer updated the paired chunk's shard: refreshes this shard from it at once when
    /// the shards are on the device (a cast issued on <paramref name="stream"/>, null: the backend's default
    /// stream), or marks it stale for the next gather when they are offloaded.
    /// </summary>
    public void RefreshFromMaster(IStream? stream = null)
    {
        var master = Paired ?? throw new ChunkStateException($"Chunk #{Id} has no paired chunk to refresh from.");
        if (master.IsGathered)
        {
            ThrowState(nameof(RefreshFromMaster), $"its paired chunk #{master.Id} is gathered");
        }

        if (master.ShardLocation != ShardLocation)
        {
            ThrowState(nameof(RefreshFromMaster), $"its shard is on {ShardLocation} but paired chunk #{master.Id}'s is on {master.ShardLocation}");
        }

        if (ShardLocation == MemoryLocation.Device)
        {
            _kernels.Cast(master.ShardPayload, master.DType, ShardPayload, DType, stream);
            OptimizerSynced = true;
        }
        else
        {
            OptimizerSynced = false;
        }
    }

    /// <summary>
    /// Called when the optimizer itself wrote this shard's parameters (rounded from the paired chunk's updated
    /// shard), as it does for offloaded shards on the host: the shard is current, and the next gather reads it
    /// rather than the paired fp32 shard.
    /// </summary>
    public void MarkRefreshedByOptimizer()
    {
        _ = Paired ?? throw new ChunkStateException($"Chunk #{Id} has no paired chunk its parameters were refreshed from.");
        OptimizerSynced = true;
    }

    /// <summary>Writes this rank's current parameter values into <paramref name="destination"/> (its part of a gather).</summary>
    private void CopyParameterShardInto(BufferSlice destination, IStream? stream)
    {
        if (OptimizerSynced)
        {
            _backend.Copy(destination, ShardPayload, stream);
        }
        else
        {
            _kernels.Cast(Paired!.ShardPayload, Paired.DType, destination, DType, stream);
        }
    }

    /// <summary>Marks the shard current (after a load that replaced it).</summary>
    private void MarkSynced() => OptimizerSynced = true;
}
