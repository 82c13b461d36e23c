using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Elixir.Checkpoints;
using Elixir.Numerics;

namespace Elixir.Runtime.Tests.Checkpoints;

/// <summary>A few tensors with distinct values and the even partition a world of ranks would hold.</summary>
internal static class CheckpointTestData
{
    public static readonly (string Name, long[] Shape)[] Tensors =
    [
        ("Embedding", [7, 5]),
        ("Blocks.0.QkvWeight", [6, 3]),
        ("Blocks.0.Ln1Weight", [3]),
        ("Blocks.0.QkvWeight.exp_avg", [6, 3]),
        ("Scalar", []),
    ];

    public static float[] Values(string name, long count) =>
        Enumerable.Range(0, (int)count).Select(i => name.Length * 1000f + i + 0.25f).ToArray();

    public static long Count(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Rank <paramref name="rank"/>'s range of a tensor: ceil(n / world) elements per rank, the last ones shorter or empty.</summary>
    public static (long Start, long End) Range(long count, int rank, int worldSize)
    {
        long per = (count + worldSize - 1) / worldSize;
        long start = Math.Min(count, rank * per);
        return (start, Math.Min(count, start + per));
    }

    public static TensorShard Shard(string name, long[] shape, long start, long end) =>
        new(name, [.. shape], DType.Float32, start, end);

    public static List<ShardData> RankSlices(int rank, int worldSize) =>
        Tensors.Select(t =>
        {
            (long start, long end) = Range(Count(t.Shape), rank, worldSize);
            float[] values = Values(t.Name, Count(t.Shape))[(int)start..(int)end];
            return new ShardData(Shard(t.Name, t.Shape, start, end), MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        }).ToList();

    public static (List<ShardTarget> Targets, List<byte[]> Buffers) RankTargets(int rank, int worldSize)
    {
        var targets = new List<ShardTarget>();
        var buffers = new List<byte[]>();
        foreach ((string name, long[] shape) in Tensors)
        {
            (long start, long end) = Range(Count(shape), rank, worldSize);
            var buffer = new byte[(end - start) * 4];
            buffers.Add(buffer);
            targets.Add(new ShardTarget(Shard(name, shape, start, end), buffer));
        }

        return (targets, buffers);
    }

    // A fresh folder of this user's own: a shared parent folder would belong to whoever ran the tests first.
    public static string NewDirectory() => Directory.CreateTempSubdirectory("elixir-checkpoint-").FullName;
}
