namespace Elixir.Scheduling;

/// <summary>
/// The chunks each compute step uses (duplicates within a step dropped, first occurrence kept) and, inverted,
/// the ascending steps at which each chunk is used. Both are flat arrays with offsets, built once.
/// </summary>
internal sealed class StepChunkTable
{
    private readonly int[] _stepStart;  // step s uses _stepChunks[_stepStart[s] .. _stepStart[s + 1])
    private readonly int[] _stepChunks;
    private readonly int[] _useStart;   // chunk c is used at _useSteps[_useStart[c] .. _useStart[c + 1])
    private readonly int[] _useSteps;

    public StepChunkTable(int chunkCount, IEnumerable<IEnumerable<int>> chunksPerStep)
    {
        ArgumentNullException.ThrowIfNull(chunksPerStep);
        var seenAtStep = new int[chunkCount];
        Array.Fill(seenAtStep, -1);
        var starts = new List<int> { 0 };
        var chunks = new List<int>();
        var uses = new int[chunkCount];
        foreach (var step in chunksPerStep)
        {
            ArgumentNullException.ThrowIfNull(step, nameof(chunksPerStep));
            var stepIndex = starts.Count - 1;
            foreach (var chunk in step)
            {
                if ((uint)chunk >= (uint)chunkCount)
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(chunksPerStep), chunk, $"Step {stepIndex} uses chunk {chunk}, outside [0, {chunkCount}).");
                }

                if (seenAtStep[chunk] != stepIndex)
                {
                    seenAtStep[chunk] = stepIndex;
                    chunks.Add(chunk);
                    uses[chunk]++;
                }
            }

            starts.Add(chunks.Count);
        }

        _stepStart = [.. starts];
        _stepChunks = [.. chunks];
        _useStart = new int[chunkCount + 1];
        for (var c = 0; c < chunkCount; c++)
        {
            _useStart[c + 1] = _useStart[c] + uses[c];
        }

        // Steps are visited in ascending order, so each chunk's use list comes out sorted.
        _useSteps = new int[_stepChunks.Length];
        var fill = _useStart.AsSpan(0, chunkCount).ToArray();
        for (var s = 0; s < StepCount; s++)
        {
            foreach (var chunk in ChunksAt(s))
            {
                _useSteps[fill[chunk]++] = s;
            }
        }
    }

    public int StepCount => _stepStart.Length - 1;

    public ReadOnlySpan<int> ChunksAt(int step) =>
        _stepChunks.AsSpan(_stepStart[step], _stepStart[step + 1] - _stepStart[step]);

    /// <summary>The first step after <paramref name="step"/> that uses <paramref name="chunk"/>, or <see cref="StepCount"/>.</summary>
    public int NextUseAfter(int chunk, int step)
    {
        var steps = _useSteps.AsSpan(_useStart[chunk], _useStart[chunk + 1] - _useStart[chunk]);
        var found = steps.BinarySearch(step + 1);
        var index = found >= 0 ? found : ~found;
        return index < steps.Length ? steps[index] : StepCount;
    }
}
