using System.Collections.Immutable;
using System.Text.Json;
using Elixir.Numerics;
using Elixir.Safetensors;

namespace Elixir.Checkpoints;

/// <summary>
/// A checkpoint of one safetensors file per rank plus an index, after Hugging Face's sharded convention
/// (<c>PREFIX-00001-of-00004.safetensors</c>, <c>PREFIX.safetensors.index.json</c>). Each file records the global
/// name, shape and element range of every slice it holds, so a checkpoint saved on N ranks loads on any M ranks.
/// Unlike Hugging Face's index, whose <c>weight_map</c> gives one file per tensor, this index lists every file
/// holding a slice of the tensor.
/// </summary>
public static class ShardedCheckpoint
{
    /// <summary>The name of rank <paramref name="rank"/>'s file among <paramref name="worldSize"/>.</summary>
    public static string RankFileName(string prefix, int rank, int worldSize) =>
        $"{prefix}-{rank + 1:D5}-of-{worldSize:D5}.safetensors";

    /// <summary>The name of the index file.</summary>
    public static string IndexFileName(string prefix) => $"{prefix}.safetensors.index.json";

    /// <summary>
    /// Writes this rank's <paramref name="slices"/> atomically (empty ranges are skipped). Every rank calls it,
    /// then, once all have finished, rank 0 calls <see cref="WriteIndex"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A range or data length is invalid, or a tensor appears twice.</exception>
    public static void SaveRank(string directory, string prefix, int rank, int worldSize, IEnumerable<ShardData> slices,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
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

        SafetensorsWriter.Write(Path.Combine(directory, RankFileName(prefix, rank, worldSize)), tensors, header);
    }

    /// <summary>Reads the headers of all <paramref name="worldSize"/> rank files and writes the index atomically.</summary>
    /// <exception cref="SafetensorsFormatException">A rank file is missing pieces of its header or is corrupt.</exception>
    public static void WriteIndex(string directory, string prefix, int worldSize)
    {
        var weightMap = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        long totalSize = 0;
        for (int rank = 0; rank < worldSize; rank++)
        {
            string file = RankFileName(prefix, rank, worldSize);
            SafetensorsHeader header = SafetensorsHeader.Read(Path.Combine(directory, file));
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

        string path = Path.Combine(directory, IndexFileName(prefix));
        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteStartObject("metadata");
                json.WriteNumber("total_size", totalSize);
                json.WriteString(ShardSliceMetadata.FormatKey, ShardSliceMetadata.FormatValue);
                json.WriteNumber(ShardSliceMetadata.WorldSizeKey, worldSize);
                json.WriteEndObject();
                json.WriteStartObject("weight_map");
                foreach (var (name, files) in weightMap)
                {
                    json.WriteStartArray(name);
                    files.ForEach(json.WriteStringValue);
                    json.WriteEndArray();
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
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
        Dictionary<string, string[]> weightMap = ReadIndex(indexPath);
        var files = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        try
        {
            var plans = new List<Piece>[targets.Count];
            for (int i = 0; i < targets.Count; i++)
            {
                TensorShard shard = targets[i].Shard;
                shard.Validate(targets[i].Destination.Length, "destination");
                if (!weightMap.TryGetValue(shard.Name, out string[]? holders))
                {
                    throw new CheckpointFormatException(indexPath, shard.Name, "missing from the index weight_map.");
                }

                plans[i] = Plan(directory, indexPath, holders, files, shard);
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

            return files.Count > 0
                ? files.Values.First().Header.Metadata
                : weightMap.Count > 0
                    ? SafetensorsHeader.Read(Path.Combine(directory, weightMap.Values.First()[0])).Metadata
                    : new Dictionary<string, string>();
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
    private static List<Piece> Plan(string directory, string indexPath, string[] holders,
        Dictionary<string, SafetensorsFile> files, TensorShard shard)
    {
        var pieces = new List<Piece>();
        foreach (string name in holders)
        {
            if (Path.GetFileName(name) != name)
            {
                throw new CheckpointFormatException(indexPath, shard.Name, $"index names file '{name}' outside the checkpoint directory.");
            }

            if (!files.TryGetValue(name, out SafetensorsFile? file))
            {
                files[name] = file = SafetensorsFile.Open(Path.Combine(directory, name));
            }

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

    private static Dictionary<string, string[]> ReadIndex(string path)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            var map = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (JsonProperty tensor in document.RootElement.GetProperty("weight_map").EnumerateObject())
            {
                map[tensor.Name] = tensor.Value.EnumerateArray().Select(f => f.GetString()!).ToArray();
            }

            return map;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new SafetensorsFormatException(path, $"index is not a valid sharded-checkpoint index: {e.Message}", e);
        }
    }
}
