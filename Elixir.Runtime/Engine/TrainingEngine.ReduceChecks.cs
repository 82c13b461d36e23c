using Elixir.Chunks;
using Elixir.Kernels;
using Elixir.Memory;

namespace Elixir.Engine;

public sealed partial class TrainingEngine
{
    // Every chunk's overflow flag and sum of squares for the step, accumulated on the device as chunks reduce.
    private readonly ReduceStatistics _reduceStatistics;

    /// <summary>
    /// Gives each chunk a slot of one step-wide <see cref="ReduceStatistics"/>: reducing a chunk then queues its
    /// checks instead of waiting for the GPU after every chunk, and the optimizer step reads all of them once.
    /// </summary>
    private ReduceStatistics DeferReduceChecks(IMemoryBackend backend, IKernels kernels)
    {
        var statistics = new ReduceStatistics(backend, kernels, _chunks.Length);
        for (int c = 0; c < _chunks.Length; c++)
        {
            _chunks[c].DeferReduceChecks(statistics, c);
        }

        return statistics;
    }

    /// <summary>Reads the checks of every chunk reduced since the last read: one host wait per pass, not one per chunk.</summary>
    private void ReadReduceChecks() => _reduceStatistics.Read();
}
