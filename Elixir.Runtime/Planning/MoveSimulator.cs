namespace Elixir.Planning;

/// <summary>
/// Counts chunk movements of a step sequence through an rCache of a fixed number of blocks, evicting the cached
/// chunk whose next use is furthest away (Belady), exactly as upstream's <c>simulator.cpp</c> counts them.
/// </summary>
/// <remarks>
/// Each step is the set of chunks it computes with. Ties between chunks with the same next use evict the larger
/// chunk id first. Every gather is eventually matched by a move back (a release or a reduce), so
/// <see cref="CountMoves"/> is twice <see cref="CountGathers"/>.
/// </remarks>
public static class MoveSimulator
{
    /// <summary>The number of chunk gathers: every chunk fetched into a block, counting refetches after eviction.</summary>
    /// <param name="stepChunks">The chunk ids (non-negative) each step uses; repeats within a step count once.</param>
    /// <param name="blocks">The number of rCache blocks.</param>
    /// <exception cref="ArgumentException">A step uses more chunks than there are blocks, or an id is negative.</exception>
    public static long CountGathers(IReadOnlyList<int[]> stepChunks, int blocks)
    {
        ArgumentNullException.ThrowIfNull(stepChunks);
        var steps = Densify(stepChunks, blocks, out int chunkCount);
        return Simulate(steps, chunkCount, blocks);
    }

    /// <summary>The number of moves upstream's simulator reports: two per gather (in, and back out).</summary>
    /// <inheritdoc cref="CountGathers"/>
    public static long CountMoves(IReadOnlyList<int[]> stepChunks, int blocks) => 2 * CountGathers(stepChunks, blocks);

    /// <summary>Simulates steps whose chunk ids are already dense (0..chunkCount-1) and distinct per step.</summary>
    internal static long Simulate(IReadOnlyList<int[]> steps, int chunkCount, int blocks)
    {
        var offsets = new int[steps.Count + 1];
        var ids = new List<int>();
        for (int i = 0; i < steps.Count; i++)
        {
            ids.AddRange(steps[i]);
            offsets[i + 1] = ids.Count;
        }

        return new Workspace().Simulate(offsets, ids.ToArray(), chunkCount, blocks);
    }

    /// <summary>Reusable buffers, so a search can simulate thousands of candidate sizes without garbage.</summary>
    internal sealed class Workspace
    {
        // A max-heap on (next use, id); entries go stale when their chunk is used again, as in the original, and a
        // stale entry always orders below its chunk's live one, so it is never the one evicted.
        private readonly PriorityQueue<int, long> _heap = new();
        private int[] _nextUse = [];
        private int[] _lastSeen = [];
        private bool[] _cached = [];

        /// <summary>
        /// Counts gathers for steps given as a flat id list: step <c>i</c> uses <c>ids[offsets[i]..offsets[i+1]]</c>,
        /// dense ids, distinct within a step, none wider than <paramref name="blocks"/>.
        /// </summary>
        public long Simulate(ReadOnlySpan<int> offsets, ReadOnlySpan<int> ids, int chunkCount, int blocks)
        {
            int n = offsets.Length - 1;
            if (_nextUse.Length < ids.Length)
            {
                _nextUse = new int[ids.Length];
            }

            if (_lastSeen.Length < chunkCount)
            {
                _lastSeen = new int[chunkCount];
                _cached = new bool[chunkCount];
            }

            var lastSeen = _lastSeen.AsSpan(0, chunkCount);
            var cached = _cached.AsSpan(0, chunkCount);
            lastSeen.Fill(n);
            cached.Clear();
            _heap.Clear();
            for (int i = n - 1; i >= 0; i--)
            {
                for (int j = offsets[i]; j < offsets[i + 1]; j++)
                {
                    _nextUse[j] = lastSeen[ids[j]];
                    lastSeen[ids[j]] = i;
                }
            }

            long evictions = 0;
            int cacheSize = 0;
            for (int i = 0; i < n; i++)
            {
                int notIn = 0;
                for (int j = offsets[i]; j < offsets[i + 1]; j++)
                {
                    if (!cached[ids[j]])
                    {
                        notIn++;
                    }
                }

                while (cacheSize + notIn > blocks)
                {
                    cached[_heap.Dequeue()] = false;
                    cacheSize--;
                    evictions++;
                }

                for (int j = offsets[i]; j < offsets[i + 1]; j++)
                {
                    int id = ids[j];
                    _heap.Enqueue(id, -((long)_nextUse[j] * chunkCount + id));
                    if (!cached[id])
                    {
                        cached[id] = true;
                        cacheSize++;
                    }
                }
            }

            return evictions + cacheSize;
        }
    }

    // Ids are renumbered 0..n-1 keeping their order, because ties between equal next uses evict the larger id.
    private static List<int[]> Densify(IReadOnlyList<int[]> stepChunks, int blocks, out int chunkCount)
    {
        var distinct = new SortedSet<int>();
        for (int s = 0; s < stepChunks.Count; s++)
        {
            var ids = stepChunks[s] ?? throw new ArgumentException($"Step {s} is null.", nameof(stepChunks));
            foreach (int id in ids)
            {
                if (id < 0)
                {
                    throw new ArgumentException($"Step {s} uses chunk id {id}; ids must be non-negative.", nameof(stepChunks));
                }

                distinct.Add(id);
            }
        }

        var order = distinct.ToArray();
        var steps = new List<int[]>(stepChunks.Count);
        for (int s = 0; s < stepChunks.Count; s++)
        {
            var mapped = stepChunks[s].Distinct().Select(id => Array.BinarySearch(order, id)).ToArray();
            if (mapped.Length > blocks)
            {
                throw new ArgumentException($"Step {s} uses {mapped.Length} chunks, more than the {blocks} rCache blocks.", nameof(blocks));
            }

            steps.Add(mapped);
        }

        chunkCount = order.Length;
        return steps;
    }
}
