using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Elixir.Safetensors;

/// <summary>
/// The header of a safetensors file: its tensor entries and <c>__metadata__</c>. Reading it touches only the
/// 8-byte length prefix and the JSON header, never the tensor data, so multi-gigabyte files cost nothing.
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>The largest JSON header accepted; a larger declared length is treated as corruption.</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    internal SafetensorsHeader(string path, long headerLength, long dataLength,
        IReadOnlyList<SafetensorsTensorInfo> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        FilePath = path;
        HeaderLength = headerLength;
        DataLength = dataLength;
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The file the header was read from.</summary>
    public string FilePath { get; }

    /// <summary>The length of the JSON header in bytes (the value of the 8-byte prefix).</summary>
    public long HeaderLength { get; }

    /// <summary>The file offset of the data section: 8 + <see cref="HeaderLength"/>.</summary>
    public long DataOffset => 8 + HeaderLength;

    /// <summary>The length of the data section in bytes.</summary>
    public long DataLength { get; }

    /// <summary>The tensor entries in the order the header lists them.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>The string-to-string <c>__metadata__</c> map; empty when the header has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The entry named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    public SafetensorsTensorInfo this[string name] =>
        Tensors.FirstOrDefault(t => t.Name == name)
        ?? throw new KeyNotFoundException($"{FilePath}: no tensor named '{name}' among {Tensors.Count} tensors.");

    /// <summary>Reads and validates the header of the file at <paramref name="path"/>.</summary>
    /// <exception cref="SafetensorsFormatException">The file is truncated or its header is malformed.</exception>
    public static SafetensorsHeader Read(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(handle, path);
    }

    internal static SafetensorsHeader Read(SafeFileHandle handle, string path)
    {
        long fileLength = RandomAccess.GetLength(handle);
        if (fileLength < 8)
        {
            throw new SafetensorsFormatException(path, $"file is {fileLength} bytes, shorter than the 8-byte header length prefix.");
        }

        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(handle, path, prefix, 0);
        ulong declared = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (declared > MaxHeaderBytes)
        {
            throw new SafetensorsFormatException(path, $"declared header length {declared} exceeds the {MaxHeaderBytes}-byte limit.");
        }

        if ((long)declared > fileLength - 8)
        {
            throw new SafetensorsFormatException(path, $"declared header length {declared} exceeds the {fileLength - 8} bytes after the prefix (file is {fileLength} bytes).");
        }

        var json = new byte[(int)declared];
        ReadExactly(handle, path, json, 8);
        long dataLength = fileLength - 8 - (long)declared;
        var (tensors, metadata) = SafetensorsHeaderParser.Parse(path, json, dataLength);
        return new SafetensorsHeader(path, (long)declared, dataLength, tensors, metadata);
    }

    private static void ReadExactly(SafeFileHandle handle, string path, Span<byte> buffer, long offset)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = RandomAccess.Read(handle, buffer[done..], offset + done);
            if (n == 0)
            {
                throw new SafetensorsFormatException(path, $"file ended at byte {offset + done} while reading {buffer.Length} bytes at offset {offset}.");
            }

            done += n;
        }
    }
}
