namespace Elixir.Samples.Data;

/// <summary>
/// The samples of a global batch that one data-parallel rank computes: rank r of N takes samples
/// <c>[r*b/N, (r+1)*b/N)</c>, so N ranks together see exactly the batch one rank sees alone.
/// </summary>
/// <param name="Start">Index of the rank's first sample in the global batch.</param>
/// <param name="Count">Number of samples the rank computes (the global batch divided by the world size).</param>
public readonly record struct RankSlice(int Start, int Count)
{
    /// <summary>Computes rank <paramref name="rank"/>'s slice; the global batch must divide evenly by the world size.</summary>
    public static RankSlice Of(int globalBatch, int rank, int worldSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(globalBatch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(worldSize);
        if ((uint)rank >= (uint)worldSize)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), $"Rank {rank} is outside world size {worldSize}.");
        }

        if (globalBatch % worldSize != 0)
        {
            throw new ArgumentException(
                $"Global batch {globalBatch} does not divide evenly over {worldSize} ranks.", nameof(globalBatch));
        }

        int count = globalBatch / worldSize;
        return new RankSlice(rank * count, count);
    }
}
