using Elixir.Layout;

namespace Elixir.Runtime.Tests.Layout;

public sealed class TensorStateRulesTests
{
    // The nine legal pairs of the reference's legal_ts_update_list, written out independently.
    private static readonly HashSet<(TensorState, TensorState)> Legal =
    [
        (TensorState.Free, TensorState.Hold), (TensorState.Free, TensorState.Compute),
        (TensorState.Hold, TensorState.Free), (TensorState.Hold, TensorState.Compute),
        (TensorState.Compute, TensorState.Hold), (TensorState.Compute, TensorState.HoldAfterBackward),
        (TensorState.HoldAfterBackward, TensorState.Compute), (TensorState.HoldAfterBackward, TensorState.ReadyForReduce),
        (TensorState.ReadyForReduce, TensorState.Hold),
    ];

    [Fact]
    public void EveryPair_MatchesTheReferenceList()
    {
        foreach (var from in Enum.GetValues<TensorState>())
        {
            foreach (var to in Enum.GetValues<TensorState>())
            {
                Assert.Equal(Legal.Contains((from, to)), TensorStateRules.IsLegal(from, to));
            }
        }
    }

    [Fact]
    public void ValuesOutsideTheEnum_AreIllegal() =>
        Assert.False(TensorStateRules.IsLegal((TensorState)7, TensorState.Hold));
}
