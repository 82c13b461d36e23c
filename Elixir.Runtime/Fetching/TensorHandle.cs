namespace Elixir.Fetching;

/// <summary>
/// A parameter tensor as the fetcher names it: the index of its chunk (its position in the chunk group) and the
/// tensor's position within that chunk. Cheap to copy and compare; look it up once with
/// <c>ChunkGroup.HandleOf</c>.
/// </summary>
/// <param name="Chunk">The chunk's index.</param>
/// <param name="Tensor">The tensor's position within the chunk.</param>
public readonly record struct TensorHandle(int Chunk, int Tensor);
