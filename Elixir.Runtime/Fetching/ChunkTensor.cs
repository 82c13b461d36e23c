namespace Elixir.Fetching;

/// <summary>One parameter tensor: its chunk and its index within the chunk's layout.</summary>
/// <param name="Chunk">The chunk's index.</param>
/// <param name="Tensor">The tensor's index within the chunk.</param>
public readonly record struct ChunkTensor(int Chunk, int Tensor);
