namespace Elixir.Layout;

/// <summary>
/// A typed address of <see cref="Length"/> elements of <typeparamref name="T"/> in device (GPU) memory. It is
/// never dereferenced on the host; it is handed to kernels and collectives.
/// </summary>
public readonly record struct DevicePointer<T>(ulong Address, long Length) where T : unmanaged
{
    /// <summary>The size of the range in bytes.</summary>
    public long ByteLength => Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
}
