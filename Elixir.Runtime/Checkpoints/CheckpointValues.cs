using System.Runtime.InteropServices;
using Elixir.Numerics;

namespace Elixir.Checkpoints;

/// <summary>Checks on loaded values before they replace the engine's: a checkpoint holding NaN or infinity is corrupt.</summary>
internal static class CheckpointValues
{
    /// <summary>
    /// Throws a <see cref="CheckpointFormatException"/> naming the first fp32 tensor slice in <paramref name="data"/>
    /// (parallel to <paramref name="shards"/>) that holds a NaN or an infinity, and the element.
    /// </summary>
    public static void RequireFinite(string source, IReadOnlyList<TensorShard> shards, IReadOnlyList<byte[]> data)
    {
        for (int i = 0; i < shards.Count; i++)
        {
            if (shards[i].DType != DType.Float32)
            {
                continue;
            }

            ReadOnlySpan<float> values = MemoryMarshal.Cast<byte, float>(data[i]);
            for (int bad = 0; bad < values.Length; bad++)
            {
                if (!float.IsFinite(values[bad]))
                {
                    Throw(source, shards[i], bad, values[bad]);
                }
            }
        }
    }

    private static void Throw(string source, TensorShard shard, int bad, float value) =>
        throw new CheckpointFormatException(source, shard.Name,
            $"holds {value} at element {shard.Start + bad}: the checkpoint's weights are corrupt (an fp32 checkpoint holds only finite values).");
}
