using System.Collections.Immutable;
using Elixir.Numerics;
using Elixir.Safetensors;

namespace Elixir.Checkpoints;

/// <summary>
/// A checkpoint of one safetensors file per rank plus an index, after Hugging Face's sharded convention
/// (<c>PREFIX-00001-of-00004.safetensors</c>, <c>PREFIX.safetensors.index.json</c>). Each file records the global
/// name, shape and element range of every slice it holds, so a checkpoint saved on N ranks loads on any M ranks.
/// Unlike Hugging Face's index, whose <c>weight_map</c> gives one file per tensor, this index lists every file
/// holding a slice of the tensor. A save is atomic as a set: every file carries the save's
/// <see cref="CheckpointStamp"/>, the index is written last and commits it, and a load refuses files whose stamps
/// disagree with the index.
/// </summary>
public static class ShardedCheckpoint
{
    /// <summary>The name of rank <paramref name="rank"/>'s file among <paramref name="worldSize"/>.</summary>
    public static string RankFileName(string prefix, int rank, int worldSize) =>
        $"{prefix}-{rank + 1:D5}-of-{worldSize:D5}.safetensors";

    /// <summary>The name of the index file.</summary>
    public static string IndexFileName(string prefix) => $"{prefix}.safetensors.index.json";

    /// <summary>
    /// Stages this rank's <paramref name="slices"/> of save <paramref name="stamp"/> (empty ranges are skipped):
    /// written and flushed under a hidden name, invisible to <see cref="Load"/> until rank 0's
    /// <see cref="WriteIndex"/> commits the save. Every rank calls it with the same stamp; the directory's
    /// checkpoint stays the previous save until the commit.
    /// </summary>
    /// <exception cref="ArgumentException">A range or data length is invalid, or a tensor appears twice.</exception>
    public static void SaveRank(string directory, string prefix, CheckpointStamp stamp, int rank, int worldSize, IEnumerable<ShardData> slices,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        RequireStamp(stamp);
        ArgumentNullException.ThrowIfNull(slices);
        ArgumentOutOfRangeException.ThrowIfLessThan(worldSize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, worldSize);
        var header = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ShardSliceMetadata.FormatKey] = ShardSliceMetadata.FormatValue,
            [ShardSliceMetadata.RankKey] = rank.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [ShardSliceMetadata.WorldSizeKey] = worldSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (metadata is not null)
        {
            foreach (var (key, value) in metadata)
            {
                header[key] = value;
            }
        }

        stamp.AddTo(header);

        var tensors = new List<SafetensorsTensor>();
        foreach (ShardData slice in slices)
        {
            slice.Shard.Validate(slice.Data.Length, "data");
            if (slice.Shard.ElementCount == 0)
            {
                continue;
            }

            header[ShardSliceMetadata.Key(slice.Shard.Name)] = ShardSliceMetadata.Value(slice.Shard);
            tensors.Add(new SafetensorsTensor(slice.Shard.Name, slice.Shard.DType.SafetensorsName(), [slice.Shard.ElementCount], slice.Data));
        }

        string file = RankFileName(prefix, rank, worldSize);
        SafetensorsWriter.Write(Path.Combine(directory, CheckpointSetFiles.StagedName(file, stamp.Id)), tensors, header);
    }

    /// <summary>
    /// Commits save <paramref name="stamp"/>: checks that all <paramref name="worldSize"/> staged rank files carry
    /// it, writes the index atomically (the moment the save becomes the checkpoint), moves the rank files into
    /// place and removes what interrupted saves of <paramref name="prefix"/> left. Rank 0 calls it once
    /// every rank's <see cref="SaveRank"/> has returned.
    /// </summary>
    /// <exception cref="SafetensorsFormatException">A staged file is missing pieces of its header or is corrupt.</exception>
    /// <exception cref="CheckpointFormatException">A staged file belongs to another save.</exception>
    public static void WriteIndex(string directory, string prefix, CheckpointStamp stamp, int worldSize)
    {
        RequireStamp(stamp);
        var weightMap = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        long totalSize = 0;
        for (int rank = 0; rank < worldSize; rank++)
        {
            string file = RankFileName(prefix, rank, worldSize);
            string staged = Path.Combine(directory, CheckpointSetFiles.StagedName(file, stamp.Id));
            SafetensorsHeader header = SafetensorsHeader.Read(staged);
            if (CheckpointStamp.Find(header.Metadata) != stamp)
            {
                throw new CheckpointFormatException(staged, "*", $"carries {Describe(header.Metadata)}, not {stamp}.");
            }

            totalSize += header.DataLength;
            foreach (SafetensorsTensorInfo tensor in header.Tensors)
            {
                if (!weightMap.TryGetValue(tensor.Name, out List<string>? files))
                {
                    weightMap[tensor.Name] = files = [];
                }

                files.Add(file);
            }
        }

        CheckpointIndex.Write(Path.Combine(directory, IndexFileName(prefix)), stamp, worldSize, totalSize, weightMap);
        CheckpointSetFiles.Tidy(directory, prefix);
    }

    /// <summary>
    /// Finishes a committed save whose rank files were not all moved into place, and removes what interrupted
    /// saves of <paramref name="prefix"/> left (staged and temporary files). Call on one rank
    /// before a save, while no rank writes.
    /// </summary>
    public static void Tidy(string directory, string prefix)
    {
        if (Directory.Exists(directory))
        {
            CheckpointSetFiles.Tidy(directory, prefix);
        }
    }

    /// <summary>
    /// Loads each target's range from whichever rank files hold it, whatever the saving world size. Names, shapes,
    /// dtypes and full coverage are checked and all bytes read before any destination is written.
    /// </summary>
    /// <returns>The metadata every rank file carries (read from the first file the index names).</returns>
    /// <exception cref="CheckpointFormatException">A tensor is missing, partly missing, or has another shape or dtype.</exception>
    /// <exception cref="SafetensorsFormatException">A file is corrupt or truncated.</exception>
    public static IReadOnlyDictionary<string, string> Load(string directory, string prefix, IReadOnlyList<ShardTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        string indexPath = Path.Combine(directory, IndexFileName(prefix));
        CheckpointIndex index = CheckpointIndex.Read(indexPath);
        IReadOnlyDictionary<string, string[]> weightMap = index.WeightMap;
        var files = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        try
        {
            OpenAgreeing(directory, index, files);
            var plans = new List<Piece>[targets.Count];
            for (int i = 0; i < targets.Count; i++)
            {
                TensorShard shard = targets[i].Shard;
                shard.Validate(targets[i].Destination.Length, "destination");
                if (!weightMap.TryGetValue(shard.Name, out string[]? holders))
                {
                    throw new CheckpointFormatException(indexPath, shard.Name, "missing from the index weight_map.");
                }

                plans[i] = Plan(indexPath, holders, files, shard);
            }

            var staged = new byte[targets.Count][];
            for (int i = 0; i < targets.Count; i++)
            {
                TensorShard shard = targets[i].Shard;
                int size = shard.DType.SizeOf();
                staged[i] = new byte[shard.ByteCount];
                foreach (Piece piece in plans[i])
                {
                    var stored = new byte[piece.Info.ByteLength];
                    piece.File.ReadTensor(piece.Info, stored);
                    long from = Math.Max(shard.Start, piece.Start);
                    long to = Math.Min(shard.End, piece.End);
                    stored.AsSpan((int)((from - piece.Start) * size), (int)((to - from) * size))
                        .CopyTo(staged[i].AsSpan((int)((from - shard.Start) * size)));
                }
            }

            for (int i = 0; i < targets.Count; i++)
            {
                staged[i].CopyTo(targets[i].Destination.Span);
            }

            return files.Count > 0 ? files[index.Files[0]].Header.Metadata : new Dictionary<string, string>();
        }
        finally
        {
            foreach (SafetensorsFile file in files.Values)
            {
                file.Dispose();
            }
        }
    }

    private sealed record Piece(SafetensorsFile File, SafetensorsTensorInfo Info, long Start, long End);

    /// <summary>The stored slices overlapping <paramref name="shard"/>'s range; throws unless they cover it exactly once.</summary>
    private static List<Piece> Plan(string indexPath, string[] holders,
        Dictionary<string, SafetensorsFile> files, TensorShard shard)
    {
        var pieces = new List<Piece>();
        foreach (string name in holders)
        {
            SafetensorsFile file = files[name];
            SafetensorsHeader header = file.Header;
            SafetensorsTensorInfo info = header.Tensors.FirstOrDefault(t => t.Name == shard.Name)
                ?? throw new CheckpointFormatException(header.FilePath, shard.Name, "listed in the index but missing from the file.");
            if (!header.Metadata.TryGetValue(ShardSliceMetadata.Key(shard.Name), out string? slice)
                || !ShardSliceMetadata.TryParse(slice, out ImmutableArray<long> shape, out long start, out long end))
            {
                throw new CheckpointFormatException(header.FilePath, shard.Name, "has no valid slice record in __metadata__.");
            }

            if (info.DType != shard.DType.SafetensorsName() || !shape.SequenceEqual(shard.GlobalShape))
            {
                throw new CheckpointFormatException(header.FilePath, shard.Name,
                    $"stored as {info.DType} [{string.Join(",", shape)}] but expected {shard.DType.SafetensorsName()} [{shard.ShapeText}].");
            }

            if (info.ElementCount != end - start)
            {
                throw new CheckpointFormatException(header.FilePath, shard.Name,
                    $"slice record [{start}, {end}) disagrees with the {info.ElementCount} stored elements.");
            }

            if (end > shard.Start && start < shard.End)
            {
                pieces.Add(new Piece(file, info, start, end));
            }
        }

        pieces.Sort((a, b) => a.Start.CompareTo(b.Start));
        long next = shard.Start;
        foreach (Piece piece in pieces)
        {
            if (piece.Start > next)
            {
                break;
            }

            next = Math.Max(next, piece.End);
        }

        if (next < shard.End)
        {
            throw new CheckpointFormatException(indexPath, shard.Name,
                $"elements [{next}, {shard.End}) of the requested range [{shard.Start}, {shard.End}) are in no rank file.");
        }

        return pieces;
    }

    /// <summary>
    /// Opens every file <paramref name="index"/> names (headers only) and refuses the set unless each carries the
    /// index's stamp: files of different saves are never loaded as one checkpoint.
    /// </summary>
    private static void OpenAgreeing(string directory, CheckpointIndex index, Dictionary<string, SafetensorsFile> files)
    {
        var strangers = new List<string>();
        foreach (string name in index.Files)
        {
            SafetensorsFile file = SafetensorsFile.Open(CheckpointSetFiles.Resolve(directory, name, index.Stamp.Id));
            files[name] = file;
            if (CheckpointStamp.Find(file.Header.Metadata) != index.Stamp)
            {
                strangers.Add($"{name} holds {Describe(file.Header.Metadata)}");
            }
        }

        if (strangers.Count > 0)
        {
            throw new CheckpointFormatException(index.FilePath, "*",
                $"the files disagree with the index's {index.Stamp}: {string.Join("; ", strangers)}. They belong to different saves; refusing to load them as one checkpoint.");
        }
    }

    private static string Describe(IReadOnlyDictionary<string, string> metadata) =>
        CheckpointStamp.Find(metadata)?.ToString()
        ?? (metadata.TryGetValue(CheckpointStamp.StepKey, out string? step) ? $"step {step} without a save id" : "no save stamp");

    private static void RequireStamp(CheckpointStamp stamp)
    {
        if (!CheckpointStamp.IsId(stamp.Id) || stamp.Step < 0)
        {
            throw new ArgumentException($"Checkpoint stamp '{stamp.Id}' at step {stamp.Step} is not a save id (12 lowercase hex digits) and a step count.", nameof(stamp));
        }
    }
}
