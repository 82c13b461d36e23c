namespace Elixir.Chunks;

/// <summary>Thrown when a tensor does not fit in the rest of a chunk; the chunk is left unchanged.</summary>
public sealed class ChunkFullException : InvalidOperationException
{
    /// <summary>Creates the exception with the chunk's and the tensor's numbers.</summary>
    public ChunkFullException(int chunkId, string tensor, long tensorElements, long usedElements, long chunkSize)
        : base($"Chunk #{chunkId} is full: tensor '{tensor}' needs {tensorElements} elements but only " +
               $"{chunkSize - usedElements} of {chunkSize} are left ({usedElements} used).")
    {
        ChunkId = chunkId;
        TensorElements = tensorElements;
        UsedElements = usedElements;
        ChunkSize = chunkSize;
    }

    /// <summary>The chunk's id.</summary>
    public int ChunkId { get; }

    /// <summary>The refused tensor's element count.</summary>
    public long TensorElements { get; }

    /// <summary>The chunk's used elements.</summary>
    public long UsedElements { get; }

    /// <summary>The chunk's size in elements.</summary>
    public long ChunkSize { get; }
}

/// <summary>Thrown when a chunk operation is not allowed in the chunk's current state; nothing is changed.</summary>
public sealed class ChunkStateException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public ChunkStateException(string message)
        : base(message)
    {
    }
}
