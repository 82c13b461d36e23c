using Elixir.Memory;

namespace Elixir.Chunks;

/// <summary>Reduce checks queued into a step's <see cref="ReduceStatistics"/> instead of waited for.</summary>
public sealed partial class Chunk
{
    private ReduceStatistics? _statistics;
    private int _statisticsSlot;

    /// <summary>
    /// Makes every later reduce queue its overflow check and (when <see cref="L2NormEnabled"/>) sum of squares into
    /// <paramref name="slot"/> of <paramref name="statistics"/>, read once per step, instead of waiting for them;
    /// <see cref="Overflow"/> and <see cref="L2NormSquared"/> then stay clear.
    /// </summary>
    public void DeferReduceChecks(ReduceStatistics statistics, int slot)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)slot, (uint)statistics.Slots, nameof(slot));
        _statistics = statistics;
        _statisticsSlot = slot;
    }

    private bool QueueDeferredChecks(BufferSlice valid, IStream? stream)
    {
        if (_statistics is null)
        {
            return false;
        }

        _statistics.Queue(_statisticsSlot, valid, DType, L2NormEnabled, stream);
        Overflow = false;
        L2NormSquared = null;
        return true;
    }
}
