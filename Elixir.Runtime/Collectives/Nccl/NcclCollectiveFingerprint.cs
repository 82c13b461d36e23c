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

    private static ulong Mix(ulong hash, ulong value)
    {
        for (int i = 0; i < 8; i++)
        {
            hash = (hash ^ (byte)(value >> (8 * i))) * 1099511628211UL;
        }

        return hash;
    }
}
