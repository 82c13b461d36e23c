using Elixir.Checkpoints;

namespace Elixir.Collectives;

/// <summary>Cross-rank agreement on the outcome of local work (file I/O), so that no rank waits for a peer that gave up.</summary>
internal static class CommunicatorAgreement
{
    /// <summary>
    /// Runs <paramref name="action"/> on this rank, then agrees with every rank whether all succeeded: a failure
    /// anywhere throws everywhere (the local error where there is one), so no rank waits for a peer that gave up.
    /// </summary>
    public static void Agreed(this ICommunicator communicator, Action action, string what)
    {
        Exception? failure = null;
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException
            or CheckpointFormatException or Safetensors.SafetensorsFormatException or FormatException or OverflowException)
        {
            failure = e;
        }

        double failedRanks = communicator.AllReduce(failure is null ? 0 : 1, ReduceOp.Sum);
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }

        if (failedRanks > 0)
        {
            throw new IOException($"Rank {communicator.Rank}: {failedRanks} other rank(s) failed to {what}; nothing was changed here.");
        }
    }
}
