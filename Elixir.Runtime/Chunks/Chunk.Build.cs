using Elixir.Layout;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Chunks;

/// <content>Building a chunk: tensors appended into the build buffer (or the private block), then the shard kept.</content>
public sealed partial class Chunk
{
    /// <summary>
    /// Appends tensor <paramref name="index"/> of the layout instance (<paramref name="binding"/>,
    /// <paramref name="counter"/>) with <paramref name="initialValues"/> (zeros when null); moves it to
    /// <see cref="TensorState.Hold"/>. A different element type or a full chunk throws and changes nothing.
    /// </summary>
    public ChunkTensor Append(LayoutBinding binding, ITensorStateCounter counter, int index, BufferSlice? initialValues = null)
    {
        ArgumentNullException.ThrowIfNull(binding);
        ArgumentNullException.ThrowIfNull(counter);
        RequireBuilding(nameof(Append));
        ref readonly var slot = ref binding.Table[index];
        if (slot.DType != DType)
        {
            throw new ArgumentException(
                $"Chunk #{Id} holds {DType} tensors; tensor '{slot.Name}' is {slot.DType}.", nameof(binding));
        }

        if (_used + slot.ElementCount > ChunkSize)
        {
            throw new ChunkFullException(Id, slot.Name, slot.ElementCount, _used, ChunkSize);
        }

        if (initialValues is { } values && values.ByteLength != slot.ByteCount)
        {
            throw new ArgumentException(
                $"Chunk #{Id}: tensor '{slot.Name}' has {slot.ByteCount} bytes but {values.ByteLength} initial bytes were given.",
                nameof(initialValues));
        }

        counter.Transition(index, TensorState.Hold);
        var tensor = new ChunkTensor(binding, counter, index, _used);
        var target = TensorSlice(BuildPayload, tensor);
        if (initialValues is { } data)
        {
            _backend.Copy(target, data);
        }

        binding.SetAddress(index, target.Address, LocationOf(target));
        _tensors.Add(tensor);
        _stateCounts[(int)TensorState.Hold]++;
        _used += slot.ElementCount;
        return tensor;
    }

    /// <summary>Ends appending: keeps this rank's shard and unbinds the tensors until the chunk is gathered.</summary>
    public void Close()
    {
        RequireBuilding(nameof(Close));
        Shard = ShardRange.Of(ChunkSize, Communicator.WorldSize, Communicator.Rank, _used);
        _backend.Copy(_shard.All, BuildPayload.Slice(Shard.Begin * DType.SizeOf(), ShardBytes));
        Unbind();
        _buildBuffer?.Dispose();
        _buildBuffer = null;
        IsClosed = true;
    }
}
