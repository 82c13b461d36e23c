using Elixir.Memory;

namespace Elixir.Chunks;

/// <summary>
/// An fp32 buffer of one chunk size, shared by every reduction of fp16/bf16 chunks done in fp32; allocated
/// once so reductions allocate nothing.
/// </summary>
internal sealed class ReduceWorkspace : IDisposable
{
    /// <summary>Allocates room for <paramref name="elementCount"/> fp32 values at <paramref name="location"/>.</summary>
    public ReduceWorkspace(IMemoryBackend backend, long elementCount, MemoryLocation location = MemoryLocation.Device)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ElementCount = elementCount;
        Buffer = backend.Allocate(elementCount * sizeof(float), location);
    }

    /// <summary>The capacity in fp32 elements.</summary>
    public long ElementCount { get; }

    /// <summary>The fp32 buffer a 16-bit chunk is widened into around the reduce-scatter.</summary>
    public NativeBuffer Buffer { get; }

    /// <inheritdoc/>
    public void Dispose() => Buffer.Dispose();
}
