namespace Elixir.Samples.Data;

/// <summary>
/// Draws language-model batches from a token stream: each sample is a random window of <c>T + 1</c> tokens
/// whose first T are the inputs and last T the targets. Window positions depend only on (seed, step, sample
/// index), never on the rank or world size, so per-rank slices of a step's global batch concatenate to the
/// batch a single rank draws.
/// </summary>
public sealed class CharBatchSampler
{
    private readonly int[] _tokens;

    /// <summary>Creates a sampler over <paramref name="tokens"/> drawing <paramref name="globalBatch"/> windows of <paramref name="sequenceLength"/> per step.</summary>
    public CharBatchSampler(int[] tokens, int sequenceLength, int globalBatch, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequenceLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(globalBatch);
        if (tokens.Length < sequenceLength + 2)
        {
            throw new ArgumentException(
                $"The corpus has {tokens.Length} tokens; sequences of {sequenceLength} need at least {sequenceLength + 2}.", nameof(tokens));
        }

        _tokens = tokens;
        SequenceLength = sequenceLength;
        GlobalBatch = globalBatch;
        Seed = seed;
    }

    /// <summary>Tokens per sample (T).</summary>
    public int SequenceLength { get; }

    /// <summary>Samples per step over all ranks.</summary>
    public int GlobalBatch { get; }

    /// <summary>The seed the window positions derive from.</summary>
    public ulong Seed { get; }

    /// <summary>
    /// Writes rank <paramref name="rank"/>'s share of step <paramref name="step"/>'s batch: <c>b/N</c> samples of
    /// T tokens each, row after row, into <paramref name="inputs"/> and <paramref name="targets"/>.
    /// </summary>
    public void Fill(long step, int rank, int worldSize, Span<int> inputs, Span<int> targets)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        var slice = RankSlice.Of(GlobalBatch, rank, worldSize);
        int needed = slice.Count * SequenceLength;
        if (inputs.Length != needed || targets.Length != needed)
        {
            throw new ArgumentException(
                $"Rank {rank} of {worldSize} draws {slice.Count} samples of {SequenceLength} tokens = {needed} per buffer; " +
                $"got inputs of {inputs.Length} and targets of {targets.Length}.");
        }

        int windowStarts = _tokens.Length - SequenceLength;
        for (int i = 0; i < slice.Count; i++)
        {
            int sample = slice.Start + i;
            var random = new SplitMix64(SplitMix64.Combine(Seed, (ulong)step, (ulong)sample));
            int start = random.NextInt(windowStarts);
            var window = _tokens.AsSpan(start, SequenceLength + 1);
            window[..SequenceLength].CopyTo(inputs.Slice(i * SequenceLength, SequenceLength));
            window[1..].CopyTo(targets.Slice(i * SequenceLength, SequenceLength));
        }
    }
}
