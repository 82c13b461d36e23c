namespace Elixir.Planning;

/// <summary>
/// The chunk size that moves the fewest elements through an rCache that fits the budget (upstream
/// <c>find_optimal_chunk_size</c>): for each candidate size, first-fit the parameters, give the rCache as many
/// blocks as the budget holds (two fewer with overlap, at most one per chunk), and simulate the step list.
/// </summary>
internal static class OptimalSearch
{
    /// <summary>The best size, its block count and waste; null when no size fits (see <see cref="RequiredElements"/>).</summary>
    /// <param name="numels">Element counts of the public parameters, in the order they are first used.</param>
    /// <param name="steps">For each step, the positions in <paramref name="numels"/> of the public parameters it uses.</param>
    /// <param name="budgetElements">Device elements left for the public rCache blocks.</param>
    /// <param name="overlap">Reserve two blocks for overlapped communication.</param>
    /// <param name="range">The sizes to try.</param>
    public static (long Size, int Blocks, long Waste, long MovedElements)? Find(
        long[] numels, IReadOnlyList<int[]> steps, long budgetElements, bool overlap, SearchRange range)
    {
        long largest = numels.Max();
        long size = range.FirstSize(largest);
        long usable = ChunkMath.RoundUp(budgetElements - range.Interval + 1, range.Interval);
        long maxSize = Math.Min(range.Max, usable);
        var chunkOf = new int[numels.Length];
        var previousChunkOf = new int[numels.Length];
        long previousBlocks = -1;
        var flat = new FlatSteps(steps);
        var workspace = new MoveSimulator.Workspace();
        (long Size, int Blocks, long Waste, long MovedElements)? best = null;
        for (; size <= maxSize; size += range.Interval)
        {
            long blocks = usable / size - (overlap ? 2 : 0);
            if (blocks <= 0)
            {
                continue;
            }

            var (chunks, waste) = ChunkMath.FirstFit(numels, size, chunkOf);
            blocks = Math.Min(blocks, chunks);
            // The same packing through the same number of blocks moves the same chunks, so at a larger size it
            // moves more elements and cannot win: skip the simulation.
            if (blocks == previousBlocks && chunkOf.AsSpan().SequenceEqual(previousChunkOf))
            {
                continue;
            }

            chunkOf.CopyTo(previousChunkOf, 0);
            previousBlocks = blocks;
            // Upstream's simulator asserts every step fits; a size where one does not is not a candidate.
            if (flat.MapToChunks(chunkOf) > blocks)
            {
                continue;
            }

            long moved = 2 * workspace.Simulate(flat.Offsets, flat.ChunkIds, chunks, (int)blocks) * size;
            if (best is null || moved < best.Value.MovedElements)
            {
                best = (size, (int)blocks, waste, moved);
            }
        }

        return best;
    }

    /// <summary>
    /// The fewest budget elements with which the smallest candidate size is feasible: room for the widest step's
    /// chunks (plus two with overlap), each rounded up to the world size.
    /// </summary>
    public static long RequiredElements(long[] numels, IReadOnlyList<int[]> steps, bool overlap, SearchRange range, int worldSize)
    {
        long size = range.FirstSize(numels.Max());
        var chunkOf = new int[numels.Length];
        ChunkMath.FirstFit(numels, size, chunkOf);
        ChunkSteps(steps, chunkOf, out int widest);
        return (widest + (overlap ? 2 : 0)) * ChunkMath.RoundUp(size, worldSize);
    }

    /// <summary>The distinct chunks of each step, dropping steps that use no public parameter.</summary>
    public static List<int[]> ChunkSteps(IReadOnlyList<int[]> steps, int[] chunkOf, out int widest)
    {
        var flat = new FlatSteps(steps);
        widest = flat.MapToChunks(chunkOf);
        var result = new List<int[]>(flat.Offsets.Length - 1);
        for (int i = 0; i + 1 < flat.Offsets.Length; i++)
        {
            result.Add(flat.ChunkIds[flat.Offsets[i]..flat.Offsets[i + 1]].ToArray());
        }

        return result;
    }

    /// <summary>Parameter steps flattened once, and their distinct chunk ids rebuilt in place for each size.</summary>
    private sealed class FlatSteps
    {
        private readonly int[] _paramOffsets;
        private readonly int[] _params;
        private readonly int[] _offsets;
        private readonly int[] _chunkIds;
        private int _idCount;

        public FlatSteps(IReadOnlyList<int[]> steps)
        {
            var nonEmpty = steps.Where(s => s.Length > 0).ToArray();
            _paramOffsets = new int[nonEmpty.Length + 1];
            for (int i = 0; i < nonEmpty.Length; i++)
            {
                _paramOffsets[i + 1] = _paramOffsets[i] + nonEmpty[i].Length;
            }

            _params = nonEmpty.SelectMany(s => s).ToArray();
            _offsets = new int[nonEmpty.Length + 1];
            _chunkIds = new int[_params.Length];
        }

        public ReadOnlySpan<int> Offsets => _offsets;

        public ReadOnlySpan<int> ChunkIds => _chunkIds.AsSpan(0, _idCount);

        /// <summary>Rebuilds the distinct chunk ids of every step; returns the widest step.</summary>
        public int MapToChunks(int[] chunkOf)
        {
            int widest = 0;
            int count = 0;
            for (int i = 0; i + 1 < _paramOffsets.Length; i++)
            {
                int start = count;
                for (int j = _paramOffsets[i]; j < _paramOffsets[i + 1]; j++)
                {
                    int chunk = chunkOf[_params[j]];
                    if (Array.IndexOf(_chunkIds, chunk, start, count - start) < 0)
                    {
                        _chunkIds[count++] = chunk;
                    }
                }

                _offsets[i + 1] = count;
                widest = Math.Max(widest, count - start);
            }

            _idCount = count;
            return widest;
        }
    }
}
