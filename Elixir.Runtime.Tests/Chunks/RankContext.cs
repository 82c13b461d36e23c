using Elixir.Collectives;
using Elixir.Kernels;
using Elixir.Memory;

namespace Elixir.Tests.Chunks;

/// <summary>One rank of a chunk test: its memory backend, kernels and communicator.</summary>
internal sealed record RankContext(IMemoryBackend Backend, IKernels Kernels, ICommunicator Communicator)
{
    public int Rank => Communicator.Rank;

    /// <summary>
    /// Copies <paramref name="source"/> into a host buffer through the backend and waits for the copy: device
    /// memory has no readable host view, and queued work on it must finish before its values are compared.
    /// </summary>
    public T[] Read<T>(BufferSlice source) where T : unmanaged
    {
        using var staging = Backend.Allocate(source.ByteLength, MemoryLocation.Host);
        Backend.Copy(staging.All, source);
        Backend.DefaultStream.Synchronize();
        return staging.All.AsSpan<T>().ToArray();
    }

    /// <summary>Copies <paramref name="values"/> into <paramref name="destination"/> through the backend and waits.</summary>
    public void Write<T>(BufferSlice destination, ReadOnlySpan<T> values) where T : unmanaged
    {
        using var staging = Backend.Allocate(destination.ByteLength, MemoryLocation.Host);
        values.CopyTo(staging.All.AsSpan<T>());
        Backend.Copy(destination, staging.All);
        Backend.DefaultStream.Synchronize();
    }
}
