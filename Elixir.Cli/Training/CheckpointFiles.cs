using Elixir.Checkpoints;

namespace Elixir.Cli.Training;

/// <summary>
/// Keeps a checkpoint directory holding one checkpoint: after a save, the files of the other form (consolidated or
/// sharded) and shards of another world size under the same prefix are stale, and a later load could pick them
/// up, so they are deleted.
/// </summary>
internal static class CheckpointFiles
{
    /// <summary>Deletes the files of <paramref name="prefix"/> that the save just made stale; call on one rank after every rank saved.</summary>
    public static void RemoveStale(string directory, string prefix, int worldSize, bool consolidated)
    {
        var keep = new HashSet<string>(StringComparer.Ordinal);
        if (consolidated)
        {
            keep.Add(prefix + ".safetensors");
        }
        else
        {
            keep.Add(ShardedCheckpoint.IndexFileName(prefix));
            for (int rank = 0; rank < worldSize; rank++)
            {
                keep.Add(ShardedCheckpoint.RankFileName(prefix, rank, worldSize));
            }
        }

        var ours = Directory.EnumerateFiles(directory, prefix + "-*-of-*.safetensors")
            .Append(Path.Combine(directory, prefix + ".safetensors"))
            .Append(Path.Combine(directory, ShardedCheckpoint.IndexFileName(prefix)));
        foreach (string path in ours)
        {
            if (!keep.Contains(Path.GetFileName(path)) && File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }
}
