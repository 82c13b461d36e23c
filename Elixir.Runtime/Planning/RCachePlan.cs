namespace Elixir.Planning;

/// <summary>The rCache a plan needs on each rank.</summary>
/// <param name="BlockSize">Elements per public block (the public chunk size; 0 when there are no public chunks).</param>
/// <param name="PublicBlocks">The number of public blocks gathered chunks share.</param>
/// <param name="PrivateBlockSizes">One block per fused chunk, its size in elements, in chunk order.</param>
public sealed record RCachePlan(long BlockSize, int PublicBlocks, IReadOnlyList<long> PrivateBlockSizes)
{
    /// <summary>The elements all blocks hold together.</summary>
    public long TotalElements => BlockSize * PublicBlocks + PrivateBlockSizes.Sum();
}
