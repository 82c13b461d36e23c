using System.Text.Json;
using Elixir.Safetensors;

namespace Elixir.Checkpoints;

/// <summary>
/// The index of a sharded checkpoint (<c>PREFIX.safetensors.index.json</c>): the save's stamp and, per tensor, the
/// rank files holding a slice of it. Writing it is the commit point of a save; reading it is bounded in size and
/// turns every malformed input into a <see cref="SafetensorsFormatException"/> naming the file and the field.
/// </summary>
internal sealed class CheckpointIndex
{
    /// <summary>The largest index read (about a million tensor entries); anything larger is refused unread.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    private CheckpointIndex(string path, CheckpointStamp stamp, Dictionary<string, string[]> weightMap, List<string> files)
    {
        FilePath = path;
        Stamp = stamp;
        WeightMap = weightMap;
        Files = files;
    }

    /// <summary>Where the index was read from.</summary>
    public string FilePath { get; }

    /// <summary>The save the index commits.</summary>
    public CheckpointStamp Stamp { get; }

    /// <summary>Per tensor name, the rank files holding slices of it.</summary>
    public IReadOnlyDictionary<string, string[]> WeightMap { get; }

    /// <summary>Every file the index names, once each, in order of first mention.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Reads and validates the index at <paramref name="path"/>.</summary>
    /// <exception cref="SafetensorsFormatException">The index is too large, not JSON, or has a missing or malformed field.</exception>
    public static CheckpointIndex Read(string path)
    {
        long length = new FileInfo(path).Length;
        if (length > MaxBytes)
        {
            throw new SafetensorsFormatException(path, $"index is {length} bytes, over the {MaxBytes}-byte limit of a checkpoint index.");
        }

        return Parse(path, File.ReadAllBytes(path));
    }

    /// <summary>Parses index bytes read from <paramref name="path"/>.</summary>
    public static CheckpointIndex Parse(string path, ReadOnlyMemory<byte> json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
            JsonElement root = document.RootElement;
            Require(path, root, JsonValueKind.Object, "the index");
            JsonElement metadata = Property(path, root, "metadata");
            var stamp = CheckpointStamp.Find(new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [CheckpointStamp.IdKey] = Text(path, Property(path, metadata, CheckpointStamp.IdKey), $"metadata.{CheckpointStamp.IdKey}"),
                [CheckpointStamp.StepKey] = Text(path, Property(path, metadata, CheckpointStamp.StepKey), $"metadata.{CheckpointStamp.StepKey}"),
            }) ?? throw new SafetensorsFormatException(path,
                $"metadata.{CheckpointStamp.IdKey} or metadata.{CheckpointStamp.StepKey} is not a save id (12 hex digits) and a step count.");

            var weightMap = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var files = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            JsonElement map = Property(path, root, "weight_map");
            Require(path, map, JsonValueKind.Object, "weight_map");
            foreach (JsonProperty tensor in map.EnumerateObject())
            {
                string name = Name(path, tensor);
                string field = $"weight_map.{name}";
                Require(path, tensor.Value, JsonValueKind.Array, field);
                var holders = new string[tensor.Value.GetArrayLength()];
                if (holders.Length == 0)
                {
                    throw new SafetensorsFormatException(path, $"{field} lists no file.");
                }

                int i = 0;
                foreach (JsonElement holder in tensor.Value.EnumerateArray())
                {
                    string file = Text(path, holder, $"{field}[{i}]");
                    if (file.Length == 0 || file.Contains('\0') || Path.GetFileName(file) != file)
                    {
                        throw new SafetensorsFormatException(path, $"{field}[{i}] names '{file}', not a file in the checkpoint directory.");
                    }

                    holders[i++] = file;
                    if (seen.Add(file))
                    {
                        files.Add(file);
                    }
                }

                if (!weightMap.TryAdd(name, holders))
                {
                    throw new SafetensorsFormatException(path, $"{field} appears twice.");
                }
            }

            return new CheckpointIndex(path, stamp, weightMap, files);
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(path, $"index is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// Writes the index for <paramref name="stamp"/> atomically: a temporary file flushed to disk, then renamed over
    /// the old index. Once this returns, the save is the checkpoint.
    /// </summary>
    public static void Write(string path, CheckpointStamp stamp, int worldSize, long totalSize, SortedDictionary<string, List<string>> weightMap)
    {
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
                json.WriteString(CheckpointStamp.IdKey, stamp.Id);
                json.WriteString(CheckpointStamp.StepKey, stamp.Step.ToString(System.Globalization.CultureInfo.InvariantCulture));
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

        DurableRename.Move(temp, path);
    }

    private static JsonElement Property(string path, JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out JsonElement value))
        {
            throw new SafetensorsFormatException(path, $"index has no '{name}'.");
        }

        return value;
    }

    private static void Require(string path, JsonElement element, JsonValueKind kind, string field)
    {
        if (element.ValueKind != kind)
        {
            throw new SafetensorsFormatException(path, $"{field} should be {kind} but is {element.ValueKind}.");
        }
    }

    private static string Text(string path, JsonElement element, string field)
    {
        Require(path, element, JsonValueKind.String, field);
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new SafetensorsFormatException(path, $"{field} is not valid UTF-8 text.", e);
        }
    }

    private static string Name(string path, JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException e)
        {
            throw new SafetensorsFormatException(path, "a weight_map tensor name is not valid UTF-8 text.", e);
        }
    }
}
