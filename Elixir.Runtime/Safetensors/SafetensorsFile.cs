using Microsoft.Win32.SafeHandles;

namespace Elixir.Safetensors;

/// <summary>An open safetensors file: its validated header and reads of single tensors into caller memory.</summary>
public sealed class SafetensorsFile : IDisposable
{
    private readonly SafeFileHandle _handle;

    private SafetensorsFile(SafeFileHandle handle, SafetensorsHeader header)
    {
        _handle = handle;
        Header = header;
    }

    /// <summary>The file's header.</summary>
    public SafetensorsHeader Header { get; }

    /// <summary>Opens <paramref name="path"/> and reads its header.</summary>
    /// <exception cref="SafetensorsFormatException">The header is malformed or the file is truncated.</exception>
    public static SafetensorsFile Open(string path)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            return new SafetensorsFile(handle, SafetensorsHeader.Read(handle, path));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Reads the bytes of the tensor named <paramref name="name"/> into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not exactly the tensor's byte length.</exception>
    /// <exception cref="KeyNotFoundException">No tensor has that name.</exception>
    public void ReadTensor(string name, Span<byte> destination) => ReadTensor(Header[name], destination);

    /// <summary>Reads the bytes of <paramref name="tensor"/> (an entry of <see cref="Header"/>) into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not exactly the tensor's byte length.</exception>
    public void ReadTensor(SafetensorsTensorInfo tensor, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (destination.Length != tensor.ByteLength)
        {
            throw new ArgumentException(
                $"{Header.FilePath}: tensor '{tensor.Name}' has {tensor.ByteLength} bytes but the destination holds {destination.Length}.",
                nameof(destination));
        }

        long offset = Header.DataOffset + tensor.DataStart;
        int done = 0;
        while (done < destination.Length)
        {
            int n = RandomAccess.Read(_handle, destination[done..], offset + done);
            if (n == 0)
            {
                throw new SafetensorsFormatException(Header.FilePath, $"file ended at byte {offset + done} while reading tensor '{tensor.Name}'.");
            }

            done += n;
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _handle.Dispose();
}
