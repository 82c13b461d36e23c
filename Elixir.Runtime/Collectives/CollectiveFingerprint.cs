using Elixir.Numerics;

namespace Elixir.Collectives;

/// <summary>
/// What one rank asked of one collective: every rank of a collective must present the same fingerprint,
/// otherwise the ranks disagree about the program order (the usual cause of ZeRO-3/FSDP hangs). The host and the
/// NCCL communicators compare the same fingerprint.
/// </summary>
/// <param name="Sequence">The collective's 1-based number on this rank.</param>
/// <param name="Kind">The operation.</param>
/// <param name="ElementCount">The per-rank element count (send side for gathers, receive side for reduce-scatter).</param>
/// <param name="Type">The element type.</param>
/// <param name="Op">The reduction, where the operation reduces.</param>
/// <param name="Root">The root rank of a broadcast, -1 otherwise.</param>
public readonly record struct CollectiveFingerprint(
    long Sequence, CollectiveKind Kind, long ElementCount, DType Type, ReduceOp Op, int Root)
{
    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        CollectiveKind.Barrier => $"Barrier (#{Sequence})",
        CollectiveKind.AllReduceScalar => $"AllReduce of a scalar, {Op} (#{Sequence})",
        CollectiveKind.Broadcast => $"Broadcast of {ElementCount} x {Type} from rank {Root} (#{Sequence})",
        CollectiveKind.AllGather => $"AllGather of {ElementCount} x {Type} (#{Sequence})",
        _ => $"{Kind} of {ElementCount} x {Type}, {Op} (#{Sequence})",
    };
}
