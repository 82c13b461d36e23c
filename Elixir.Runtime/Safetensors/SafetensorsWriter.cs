using System.Buffers.Binary;
using System.Text.Json;
using Elixir.Checkpoints;

namespace Elixir.Safetensors;

/// <summary>Writes safetensors files atomically: a temporary file in the same directory, flushed to disk, then renamed.</summary>
public static class SafetensorsWriter
{
    /// <summary>
    /// Writes <paramref name="tensors"/> (data laid out in the given order) and <paramref name="metadata"/> to
    /// <paramref name="path"/>. The header is padded with spaces to a multiple of 8 bytes so the data section is aligned.
    /// A reader sees either the old file or the complete new one.
    /// </summary>
    /// <exception cref="ArgumentException">A name repeats, a dtype is unknown, or a shape does not match the data length.</exception>
    public static void Write(string path, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        byte[] header = BuildHeader(path, tensors, metadata);
        string fullPath = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                Span<byte> prefix = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
                stream.Write(prefix);
                stream.Write(header);
                foreach (var tensor in tensors)
                {
                    stream.Write(tensor.Data.Span);
                }

                stream.Flush(flushToDisk: true);
            }
            DurableRename.Move(temp, fullPath);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static byte[] BuildHeader(string path, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var tensor in tensors)
            {
                Validate(path, tensor, names);
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType);
                json.WriteStartArray("shape");
                foreach (var d in tensor.Shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + tensor.Data.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += tensor.Data.Length;
            }
            json.WriteEndObject();
        }
        int length = (int)buffer.Length;
        int padded = (length + 7) & ~7;
        for (int i = length; i < padded; i++)
        {
            buffer.WriteByte((byte)' ');
        }

        return buffer.ToArray();
    }

    private static void Validate(string path, SafetensorsTensor tensor, HashSet<string> names)
    {
        if (tensor.Name == "__metadata__" || !names.Add(tensor.Name))
        {
            throw new ArgumentException($"{path}: tensor name '{tensor.Name}' is reserved or repeated.", nameof(tensor));
        }

        int elementSize = SafetensorsDTypes.SizeOf(tensor.DType);
        if (elementSize == 0)
        {
            throw new ArgumentException($"{path}: tensor '{tensor.Name}' has unknown dtype '{tensor.DType}'.", nameof(tensor));
        }

        long elements = 1;
        foreach (var d in tensor.Shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"{path}: tensor '{tensor.Name}' has negative dimension {d}.", nameof(tensor));
            }

            elements = checked(elements * d);
        }
        if (checked(elements * elementSize) != tensor.Data.Length)
        {
            throw new ArgumentException(
                $"{path}: tensor '{tensor.Name}' of dtype {tensor.DType} and shape [{string.Join(", ", tensor.Shape)}] needs {elements * elementSize} bytes but has {tensor.Data.Length}.",
                nameof(tensor));
        }
    }
}
