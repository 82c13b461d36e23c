using Elixir.Collectives;
using Elixir.Numerics;

namespace Elixir.Collectives.Nccl;

/// <summary>
/// A 52-bit summary of one collective call (kind, type, op, element count, root, sequence number) that is
/// exact as a double, so the ranks can compare theirs with one tiny all-reduce.
/// </summary>
internal static class NcclCollectiveFingerprint
{
    internal static double Of(string kind, DType type, ReduceOp op, long elements, int root, long sequence)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in kind)
        {
            hash = Mix(hash, c);
        }

        hash = Mix(hash, (ulong)type);
        hash = Mix(hash, (ulong)op);
        hash = Mix(hash, (ulong)elements);
        hash = Mix(hash, (ulong)root);
        hash = Mix(hash, (ulong)sequence);
        return hash & ((1UL << 52) - 1);
    }

    internal static string Describe(string kind, DType type, ReduceOp op, long elements, int root) =>
        $"{kind}({type}, {elements} elements, op {op}, root {root})";

    /// <summary>The values of one call that travel when fingerprints disagree, so every rank can name both calls.</summary>
    internal const int CallValues = 6;

    private static readonly string[] s_kinds = ["AllGather", "ReduceScatter", "AllReduce", "ScalarAllReduce", "Broadcast", "Barrier"];

    /// <summary>Writes one call as <see cref="CallValues"/> doubles (exact for element counts below 2^53).</summary>
    internal static void Encode(Span<double> values, string kind, DType type, ReduceOp op, long elements, int root, long sequence)
    {
        values[0] = Array.IndexOf(s_kinds, kind);
        values[1] = (double)type;
        values[2] = (double)op;
        values[3] = elements;
        values[4] = root;
        values[5] = sequence;
    }

    /// <summary>
    /// The error text for the all-gathered calls of every rank (<see cref="CallValues"/> per rank, in rank order):
    /// the first rank whose call differs from rank 0's, and both calls.
    /// </summary>
    internal static string Mismatch(ReadOnlySpan<double> calls)
    {
        int ranks = calls.Length / CallValues;
        ReadOnlySpan<double> first = calls[..CallValues];
        for (int k = 1; k < ranks; k++)
        {
            ReadOnlySpan<double> call = calls.Slice(k * CallValues, CallValues);
            if (!call.SequenceEqual(first))
            {
                return $"Ranks disagree on collective #{(long)first[5]}: rank {k} called {Describe(call)} while rank 0 called {Describe(first)}.";
            }
        }

        return $"Ranks disagree on collective #{(long)first[5]}: the fingerprints differ although every rank called {Describe(first)}.";
    }

    private static string Describe(ReadOnlySpan<double> call)
    {
        int kind = (int)call[0];
        string name = kind >= 0 && kind < s_kinds.Length ? s_kinds[kind] : "an unknown collective";
        return $"{Describe(name, (DType)(int)call[1], (ReduceOp)(int)call[2], (long)call[3], (int)call[4])} (#{(long)call[5]})";
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
