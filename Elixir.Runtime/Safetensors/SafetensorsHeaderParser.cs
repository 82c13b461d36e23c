using System.Text.Json;

namespace Elixir.Safetensors;

/// <summary>Parses and validates the JSON header with <see cref="Utf8JsonReader"/> (no reflection, trim-safe).</summary>
internal static class SafetensorsHeaderParser
{
    private const string MetadataKey = "__metadata__";

    public static (IReadOnlyList<SafetensorsTensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata) Parse(
        string path, ReadOnlySpan<byte> json, long dataLength)
    {
        var tensors = new List<SafetensorsTensorInfo>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            Expect(ref reader, path, JsonTokenType.StartObject, "the header");
            while (true)
            {
                Read(ref reader, path);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                string key = Text(ref reader, path, "a tensor name");
                if (!names.Add(key))
                {
                    throw new SafetensorsFormatException(path, $"header lists '{key}' twice.");
                }

                if (key == MetadataKey)
                {
                    ReadMetadata(ref reader, path, metadata);
                }
                else
                {
                    tensors.Add(ReadTensor(ref reader, path, key, dataLength));
                }
            }
            if (reader.Read())
            {
                throw new SafetensorsFormatException(path, $"unexpected content after the header object at byte {reader.TokenStartIndex}.");
            }
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(path, $"header is not valid JSON ({json.Length} bytes): {e.Message}", e);
        }
        CheckNoOverlap(path, tensors);
        return (tensors, metadata);
    }

    private static void ReadMetadata(ref Utf8JsonReader reader, string path, Dictionary<string, string> metadata)
    {
        Expect(ref reader, path, JsonTokenType.StartObject, MetadataKey);
        while (true)
        {
            Read(ref reader, path);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            string key = Text(ref reader, path, $"a {MetadataKey} key");
            Expect(ref reader, path, JsonTokenType.String, $"{MetadataKey}.{key}");
            metadata[key] = Text(ref reader, path, $"{MetadataKey}.{key}");
        }
    }

    private static SafetensorsTensorInfo ReadTensor(ref Utf8JsonReader reader, string path, string name, long dataLength)
    {
        Expect(ref reader, path, JsonTokenType.StartObject, $"tensor '{name}'");
        string? dtype = null;
        List<long>? shape = null;
        long[]? offsets = null;
        while (true)
        {
            Read(ref reader, path);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            string field = Text(ref reader, path, $"a field name of tensor '{name}'");
            switch (field)
            {
                case "dtype":
                    Expect(ref reader, path, JsonTokenType.String, $"'{name}'.dtype");
                    dtype = Text(ref reader, path, $"'{name}'.dtype");
                    break;
                case "shape":
                    shape = ReadIntegers(ref reader, path, $"'{name}'.shape");
                    break;
                case "data_offsets":
                    offsets = ReadIntegers(ref reader, path, $"'{name}'.data_offsets").ToArray();
                    break;
                default:
                    throw new SafetensorsFormatException(path, $"tensor '{name}' has unknown field '{field}'.");
            }
        }
        if (dtype is null || shape is null || offsets is null)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}' lacks {(dtype is null ? "dtype" : shape is null ? "shape" : "data_offsets")}.");
        }

        int elementSize = SafetensorsDTypes.SizeOf(dtype);
        if (elementSize == 0)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}' has unknown dtype '{dtype}'.");
        }

        if (offsets.Length != 2)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}' has {offsets.Length} data offsets, expected 2.");
        }

        long start = offsets[0], end = offsets[1];
        if (start > end || end > dataLength)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}' data offsets [{start}, {end}] are outside the {dataLength}-byte data section.");
        }

        var info = new SafetensorsTensorInfo(name, dtype, shape, start, end);
        long expected;
        try
        {
            expected = checked(info.ElementCount * elementSize);
        }
        catch (OverflowException)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}' shape [{string.Join(", ", shape)}] overflows a 64-bit byte count.");
        }
        if (expected != end - start)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}' of dtype {dtype} and shape [{string.Join(", ", shape)}] needs {expected} bytes but its data offsets [{start}, {end}] span {end - start}.");
        }

        return info;
    }

    private static List<long> ReadIntegers(ref Utf8JsonReader reader, string path, string what)
    {
        Expect(ref reader, path, JsonTokenType.StartArray, what);
        var values = new List<long>();
        while (true)
        {
            Read(ref reader, path);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return values;
            }

            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long value) || value < 0)
            {
                throw new SafetensorsFormatException(path, $"{what} holds a value that is not a non-negative integer at byte {reader.TokenStartIndex}.");
            }

            values.Add(value);
        }
    }

    private static void CheckNoOverlap(string path, List<SafetensorsTensorInfo> tensors)
    {
        var sorted = tensors.Where(t => t.ByteLength > 0).OrderBy(t => t.DataStart).ToArray();
        for (int i = 1; i < sorted.Length; i++)
        {
            var a = sorted[i - 1];
            var b = sorted[i];
            if (b.DataStart < a.DataEnd)
            {
                throw new SafetensorsFormatException(path, $"tensors '{a.Name}' [{a.DataStart}, {a.DataEnd}] and '{b.Name}' [{b.DataStart}, {b.DataEnd}] overlap.");
            }
        }
    }

    private static void Expect(ref Utf8JsonReader reader, string path, JsonTokenType type, string what)
    {
        Read(ref reader, path);
        if (reader.TokenType != type)
        {
            throw new SafetensorsFormatException(path, $"{what} should be {type} but is {reader.TokenType} at byte {reader.TokenStartIndex}.");
        }
    }

    /// <summary>The current string token; invalid UTF-8 (which the reader only finds on decoding) names the field.</summary>
    private static string Text(ref Utf8JsonReader reader, string path, string what)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new SafetensorsFormatException(path, $"{what} at byte {reader.TokenStartIndex} is not valid UTF-8 text.", e);
        }
    }

    private static void Read(ref Utf8JsonReader reader, string path)
    {
        if (!reader.Read())
        {
            throw new SafetensorsFormatException(path, $"header JSON ends early at byte {reader.BytesConsumed}.");
        }
    }
}
