using System.Runtime.CompilerServices;
using Elixir.Layout;
using Elixir.Scheduling;

namespace Elixir.Fetching;

/// <content>Checks that run before anything changes, so that a refused call leaves every chunk as it was.</content>
public sealed partial class ChunkFetcher
{
    private void CheckCapacity(ReadOnlySpan<int> chunks)
    {
        var needed = 0;
        var missing = 0;
        foreach (var chunk in chunks)
        {
            if (_chunks.IsFused(chunk))
            {
                continue;
            }

            needed++;
            if (!_chunks.IsGathered(chunk))
            {
                missing++;
            }
        }

        var obtainable = _chunks.FreePublicBlocks + Scheduler.Count;
        if (_pendingReduce != ChunkScheduler.NoChunk)
        {
            obtainable++;
        }

        if (_prefetching && !chunks.Contains(_predicted) && !_chunks.IsFused(_predicted))
        {
            obtainable++;
        }

        if (missing > obtainable)
        {
            ThrowTooSmall(needed, needed - missing + obtainable);
        }
    }

    private void Transition(TensorGroup group, TensorState to)
    {
        // Check every tensor first so that an illegal transition leaves the whole group as it was.
        foreach (var tensor in group.Tensors)
        {
            var from = _chunks.StateOf(tensor.Chunk, tensor.Tensor);
            if (from != to && !TensorStateRules.IsLegal(from, to))
            {
                throw new IllegalStateTransitionException(_chunks.NameOf(tensor.Chunk, tensor.Tensor), from, to);
            }
        }

        foreach (var tensor in group.Tensors)
        {
            if (_chunks.StateOf(tensor.Chunk, tensor.Tensor) != to)
            {
                _chunks.Transition(tensor.Chunk, tensor.Tensor, to);
            }
        }
    }

    /// <summary>The one check of a tensor whose gradient is done: a handle inside the chunks, in a state that may become ready for reduce.</summary>
    private void CheckReadyForReduce(TensorHandle tensor)
    {
        CheckTensor(tensor);
        var state = _chunks.StateOf(tensor.Chunk, tensor.Tensor);
        if (!TensorStateRules.IsLegal(state, TensorState.ReadyForReduce))
        {
            throw new IllegalStateTransitionException(
                _chunks.NameOf(tensor.Chunk, tensor.Tensor), state, TensorState.ReadyForReduce);
        }
    }

    private void CheckTensor(TensorHandle tensor)
    {
        if ((uint)tensor.Chunk >= (uint)_chunks.ChunkCount)
        {
            ThrowBadChunk(tensor.Chunk);
        }

        if ((uint)tensor.Tensor >= (uint)_chunks.TensorCountOf(tensor.Chunk))
        {
            ThrowBadTensor(tensor);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowTooSmall(int needed, int available) =>
        throw new RCacheTooSmallException(CurrentStep + 1, needed, available, _chunks.PublicBlockCount);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBadTensor(TensorHandle tensor) =>
        throw new ArgumentOutOfRangeException(
            nameof(tensor), tensor, $"ChunkFetcher: chunk {tensor.Chunk} has {_chunks.TensorCountOf(tensor.Chunk)} tensors, not a tensor {tensor.Tensor}.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBadChunk(int chunk) =>
        throw new ArgumentOutOfRangeException(nameof(chunk), chunk, $"ChunkFetcher: chunk {chunk} is outside [0, {_chunks.ChunkCount}).");
}
