using Elixir.Collectives;

namespace Elixir.Optim;

/// <summary>Makes every rank agree on overflow, so that all skip the step together or none does.</summary>
public static class OverflowVote
{
    /// <summary>True on every rank when any rank's gradients hold a NaN or infinity; every rank calls it.</summary>
    public static bool AnyRank(ICommunicator communicator, bool localOverflow)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        return communicator.AllReduce(localOverflow ? 1.0 : 0.0, ReduceOp.Max) > 0.0;
    }
}
