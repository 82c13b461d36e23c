using Elixir.Safetensors;

namespace Elixir.Checkpoints;

/// <summary>
/// The files of sharded saves in one directory, and how a save becomes visible only when complete. Each rank
/// writes its file staged (<c>.FILE.ID.staged</c>, flushed to disk); the index, written last and renamed into
/// place, commits the save; the staged files are then renamed over the rank files of the previous save. A kill
/// before the commit leaves the previous checkpoint untouched; a kill after it leaves files a reader resolves
/// through the index's id (<see cref="Resolve"/>). The next save finishes such renames and removes everything
/// else an interrupted save left.
/// </summary>
internal static class CheckpointSetFiles
{
    /// <summary>The name rank file <paramref name="file"/> of save <paramref name="id"/> has while staged.</summary>
    public static string StagedName(string file, string id) => $".{file}.{id}.staged";

    /// <summary>
    /// The path holding <paramref name="file"/> of the save the index commits: the staged file while the rename
    /// after the commit has not happened yet, the rank file itself otherwise.
    /// </summary>
    public static string Resolve(string directory, string file, string id)
    {
        string staged = Path.Combine(directory, StagedName(file, id));
        return File.Exists(staged) ? staged : Path.Combine(directory, file);
    }

    /// <summary>
    /// Finishes the renames of the committed save and removes what interrupted saves left: the staged and
    /// temporary files of <paramref name="prefix"/> (an interrupted save never touches the rank files themselves).
    /// Rank files of an earlier save on another world size stay; the index does not name them. Call on one rank
    /// while no other rank writes.
    /// </summary>
    public static void Tidy(string directory, string prefix)
    {
        string indexPath = Path.Combine(directory, ShardedCheckpoint.IndexFileName(prefix));
        CheckpointIndex? index = null;
        if (File.Exists(indexPath))
        {
            try
            {
                index = CheckpointIndex.Read(indexPath);
            }
            catch (SafetensorsFormatException)
            {
                index = null;
            }
        }

        if (index is not null)
        {
            foreach (string file in index.Files)
            {
                string staged = Path.Combine(directory, StagedName(file, index.Stamp.Id));
                if (File.Exists(staged))
                {
                    DurableRename.Move(staged, Path.Combine(directory, file));
                }
            }
        }

        // Staged files (".FILE.ID.staged") and the writer's temporaries of them ("..FILE.ID.staged.GUID.tmp").
        foreach (string path in Directory.EnumerateFiles(directory, "." + prefix + "*")
            .Concat(Directory.EnumerateFiles(directory, ".." + prefix + "*")).ToList())
        {
            File.Delete(path);
        }

        File.Delete(indexPath + ".tmp");
    }
}
