using Elixir.Numerics;

namespace Elixir.Collectives.Nccl;

/// <summary>
/// How a <see cref="CollectiveFingerprint"/> travels between NCCL ranks: as a 52-bit hash that is exact as a
/// double, so the ranks compare theirs with one tiny all-reduce, and, only when the hashes disagree, as
/// <see cref="CallValues"/> doubles that every rank all-gathers to name both calls.
/// </summary>
internal static class NcclCollectiveFingerprint
{
    /// <summary>The values of one call that travel when fingerprints disagree.</summary>
    internal const int CallValues = 6;

    internal static double Of(CollectiveFingerprint call)
    {
        ulong hash = 14695981039346656037UL;
        hash = Mix(hash, (ulong)call.Kind);
        hash = Mix(hash, (ulong)call.Type);
        hash = Mix(hash, (ulong)call.Op);
        hash = Mix(hash, (ulong)call.ElementCount);
        hash = Mix(hash, (ulong)call.Root);
        hash = Mix(hash, (ulong)call.Sequence);
        return hash & ((1UL << 52) - 1);
    }

    /// <summary>Writes one call as <see cref="CallValues"/> doubles (exact for element counts below 2^53).</summary>
    internal static void Encode(Span<double> values, CollectiveFingerprint call)
    {
        values[0] = (double)call.Kind;
        values[1] = (double)call.Type;
        values[2] = (double)call.Op;
        values[3] = call.ElementCount;
        values[4] = call.Root;
        values[5] = call.Sequence;
    }

    internal static CollectiveFingerprint Decode(ReadOnlySpan<double> values) =>
        new((long)values[5], (CollectiveKind)(byte)values[0], (long)values[3], (DType)(int)values[1], (ReduceOp)(int)values[2], (int)values[4]);

    /// <summary>
    /// The error for the all-gathered calls of every rank (<see cref="CallValues"/> per rank, in rank order): a
    /// <see cref="CollectiveMismatchException"/> naming the first rank whose call differs from rank 0's, and both calls.
    /// </summary>
    internal static Exception Mismatch(ReadOnlySpan<double> calls)
    {
        int ranks = calls.Length / CallValues;
        ReadOnlySpan<double> first = calls[..CallValues];
        for (int k = 1; k < ranks; k++)
        {
            ReadOnlySpan<double> call = calls.Slice(k * CallValues, CallValues);
            if (!call.SequenceEqual(first))
            {
                return new CollectiveMismatchException(k, Decode(call), 0, Decode(first));
            }
        }

        return new InvalidOperationException(
            $"Collective mismatch: the fingerprints differ although every rank called {Decode(first)}.");
    }

    private static ulong Mix(ulong hash, ulong value)
    {
        for (int i = 0; i < 8; i++)
        {
            hash = (hash ^ (byte)(value >> (8 * i))) * 1099511628211UL;
        }

        return hash;
    }
}
