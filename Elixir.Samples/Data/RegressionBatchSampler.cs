namespace Elixir.Samples.Data;

/// <summary>
/// Synthetic regression batches for the sample MLP: features from N(0, 1) and targets
/// <c>y_j = sin(Σ_i a_ji x_i)</c> for a fixed random teacher matrix <c>a</c>. Each sample depends only on
/// (seed, step, sample index), so per-rank slices of a step's global batch concatenate to the batch a single
/// rank draws.
/// </summary>
public sealed class RegressionBatchSampler
{
    private readonly double[] _teacher;

    /// <summary>Creates a sampler of <paramref name="globalBatch"/> samples per step.</summary>
    public RegressionBatchSampler(int inputs, int outputs, int globalBatch, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(globalBatch);
        Inputs = inputs;
        Outputs = outputs;
        GlobalBatch = globalBatch;
        Seed = seed;
        _teacher = new double[inputs * outputs];
        var random = new SplitMix64(SplitMix64.Combine(seed, ulong.MaxValue, ulong.MaxValue));
        double scale = 1.0 / Math.Sqrt(inputs);
        for (int i = 0; i < _teacher.Length; i++)
        {
            _teacher[i] = scale * random.NextNormal();
        }
    }

    /// <summary>Features per sample.</summary>
    public int Inputs { get; }

    /// <summary>Targets per sample.</summary>
    public int Outputs { get; }

    /// <summary>Samples per step over all ranks.</summary>
    public int GlobalBatch { get; }

    /// <summary>The seed the samples derive from.</summary>
    public ulong Seed { get; }

    /// <summary>Writes rank <paramref name="rank"/>'s <c>b/N</c> samples of step <paramref name="step"/>, row after row.</summary>
    public void Fill(long step, int rank, int worldSize, Span<float> inputs, Span<float> targets)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        var slice = RankSlice.Of(GlobalBatch, rank, worldSize);
        if (inputs.Length != slice.Count * Inputs || targets.Length != slice.Count * Outputs)
        {
            throw new ArgumentException(
                $"Rank {rank} of {worldSize} draws {slice.Count} samples: {slice.Count * Inputs} inputs and " +
                $"{slice.Count * Outputs} targets expected; got {inputs.Length} and {targets.Length}.");
        }

        for (int i = 0; i < slice.Count; i++)
        {
            var random = new SplitMix64(SplitMix64.Combine(Seed, (ulong)step, (ulong)(slice.Start + i)));
            var x = inputs.Slice(i * Inputs, Inputs);
            for (int k = 0; k < Inputs; k++)
            {
                x[k] = (float)random.NextNormal();
            }

            for (int j = 0; j < Outputs; j++)
            {
                double sum = 0;
                for (int k = 0; k < Inputs; k++)
                {
                    sum += _teacher[j * Inputs + k] * x[k];
                }

                targets[i * Outputs + j] = (float)Math.Sin(sum);
            }
        }
    }
}
