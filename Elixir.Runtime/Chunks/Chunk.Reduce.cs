using Elixir.Collectives;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Chunks;

/// <content>The gradient half of a chunk: gradients written over the gathered tensors, and the two-step reduce-scatter.</content>
public sealed partial class Chunk
{
    /// <summary>
    /// Reduce-scatters the gradients in the gathered chunk, averaged over the ranks, into the shard; moves every
    /// tensor to <see cref="TensorState.Hold"/>. With <paramref name="alwaysFp32"/> an fp16/bf16 chunk is reduced
    /// in <paramref name="workspace"/>. Returns the block for the caller to free (null for a fused chunk) after
    /// <see cref="FinishReduce"/> took the overflow flag and L2 norm from it. Casts, the reduce-scatter and the copy
    /// run on <paramref name="stream"/> (null: the backend's default stream).
    /// </summary>
    internal RCacheBlock? StartReduce(bool alwaysFp32 = false, ReduceWorkspace? workspace = null, IStream? stream = null)
    {
        RequireClosed(nameof(StartReduce));
        if (!IsGathered)
        {
            ThrowState(nameof(StartReduce), "it is not gathered");
        }

        if (!CanReduce)
        {
            ThrowState(nameof(StartReduce), $"only {_stateCounts[(int)TensorState.ReadyForReduce]} of {_tensors.Count} tensors are ready for reduce");
        }

        if (HasReduceInfo)
        {
            ThrowReduceInfoTaken(nameof(StartReduce));
        }

        bool inFp32 = alwaysFp32 && DType != DType.Float32 && Communicator.WorldSize > 1;
        if (inFp32 && (workspace is null || workspace.ElementCount < ChunkSize))
        {
            ThrowState(nameof(StartReduce), $"reducing in fp32 needs a workspace of {ChunkSize} elements, got {workspace?.ElementCount ?? 0}");
        }

        var block = _block!;
        var own = ShardOf(block);
        if (Communicator.WorldSize > 1)
        {
            if (inFp32)
            {
                var wide = workspace!.Buffer.Slice(0, ChunkSize * sizeof(float));
                var wideOwn = wide.Slice(Shard.Begin * sizeof(float), Shard.Count * sizeof(float));
                _kernels.Cast(block.Payload, DType, wide, DType.Float32, stream);
                Communicator.ReduceScatter(wide, wideOwn, DType.Float32, ReduceOp.Average, stream);
                _kernels.Cast(wideOwn, DType.Float32, own, DType, stream);
            }
            else
            {
                Communicator.ReduceScatter(block.Payload, own, DType, ReduceOp.Average, stream);
            }
        }

        _backend.Copy(_shard.All, own, stream);
        Unbind();
        foreach (var tensor in _tensors)
        {
            tensor.Counter.Transition(tensor.Index, TensorState.Hold);
        }

        _stateCounts[(int)TensorState.Hold] = _tensors.Count;
        _stateCounts[(int)TensorState.ReadyForReduce] = 0;
        _block = null;
        IsGathered = false;
        return IsFused ? null : block;
    }

    /// <summary>
    /// Takes the overflow flag and (when enabled) the squared L2 norm of the valid part of this rank's reduced
    /// shard in <paramref name="block"/>. The checks wait for <paramref name="stream"/> (null: the backend's default
    /// stream), which must be the reduce's stream or ordered after it.
    /// </summary>
    internal void FinishReduce(RCacheBlock? block, IStream? stream = null)
    {
        if (HasReduceInfo)
        {
            ThrowReduceInfoTaken(nameof(FinishReduce));
        }

        var source = IsFused ? _privateBlock! : block ?? throw new ArgumentNullException(nameof(block));
        var valid = source.Payload.Slice(Shard.Begin * DType.SizeOf(), Shard.ValidCount * DType.SizeOf());
        if (QueueDeferredChecks(valid, stream))
        {
            return;
        }

        Overflow = _kernels.HasNonFinite(valid, DType, stream);
        L2NormSquared = L2NormEnabled ? _kernels.SumOfSquares(valid, DType, stream) : null;
        HasReduceInfo = true;
    }

    /// <summary>Clears the overflow flag and the L2 norm (after the step that used them).</summary>
    public void ResetReduceInfo()
    {
        Overflow = false;
        L2NormSquared = null;
        HasReduceInfo = false;
    }

    /// <summary>Writes <paramref name="gradient"/> over tensor <paramref name="tensor"/>'s slice of the gathered chunk.</summary>
    public void WriteGradient(int tensor, BufferSlice gradient) => WriteGradient(tensor, gradient, DType);

    /// <summary>
    /// Writes <paramref name="gradient"/>, of <paramref name="gradientType"/>, over tensor <paramref name="tensor"/>'s
    /// slice of the gathered chunk, rounding it to the chunk's type (to nearest even) when the types differ. The
    /// copy or cast is issued on <paramref name="stream"/> (null: the backend's default stream).
    /// </summary>
    public void WriteGradient(int tensor, BufferSlice gradient, DType gradientType, IStream? stream = null)
    {
        if (!IsGathered)
        {
            ThrowState(nameof(WriteGradient), "it is not gathered");
        }

        var t = _tensors[tensor];
        var target = TensorSlice(_block!.Payload, t);
        if (gradient.ByteLength != t.ElementCount * gradientType.SizeOf())
        {
            throw new ArgumentException(
                $"Chunk #{Id}: tensor '{t.Name}' has {t.ElementCount} elements ({t.ElementCount * gradientType.SizeOf()} bytes of {gradientType}) " +
                $"but the gradient has {gradient.ByteLength} bytes.",
                nameof(gradient));
        }

        if (gradientType == DType)
        {
            _backend.Copy(target, gradient, stream);
        }
        else
        {
            _kernels.Cast(gradient, gradientType, target, DType, stream);
        }
    }
}
