using Elixir.Layout;
using Elixir.Samples.Layouts;

namespace Elixir.Generators.Tests.Behaviour;

public sealed class StateCounterTests
{
    // The legal transitions as the design lists them, written out independently of TensorStateRules.
    private static readonly HashSet<(TensorState From, TensorState To)> Legal =
    [
        (TensorState.Free, TensorState.Hold),
        (TensorState.Free, TensorState.Compute),
        (TensorState.Hold, TensorState.Free),
        (TensorState.Hold, TensorState.Compute),
        (TensorState.Compute, TensorState.Hold),
        (TensorState.Compute, TensorState.HoldAfterBackward),
        (TensorState.HoldAfterBackward, TensorState.Compute),
        (TensorState.HoldAfterBackward, TensorState.ReadyForReduce),
        (TensorState.ReadyForReduce, TensorState.Hold),
    ];

    public static TheoryData<TensorState, TensorState> AllPairs()
    {
        var data = new TheoryData<TensorState, TensorState>();
        foreach (TensorState from in Enum.GetValues<TensorState>())
        {
            foreach (TensorState to in Enum.GetValues<TensorState>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Fact]
    public void AllPairs_CoverTwentyFiveTransitions() => Assert.Equal(25, AllPairs().Count);

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Transition_UpdatesCountsWhenLegal_ThrowsAndChangesNothingOtherwise(TensorState from, TensorState to)
    {
        var counter = (Gpt2FinalNorm.StateCounter)Gpt2FinalNorm.CreateStateCounter();
        MoveTo(counter, 1, from);
        int[] before = Counts(counter);

        if (Legal.Contains((from, to)))
        {
            counter.Transition(1, to);

            int[] expected = (int[])before.Clone();
            expected[(int)from]--;
            expected[(int)to]++;
            Assert.Equal(expected, Counts(counter));
            Assert.Equal(to, counter.LnFBias);
        }
        else
        {
            var error = Assert.Throws<IllegalStateTransitionException>(() => counter.Transition(1, to));

            Assert.Equal("LnFBias", error.Tensor);
            Assert.Equal(from, error.From);
            Assert.Equal(to, error.To);
            Assert.Contains($"'LnFBias': {from} -> {to}", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, Counts(counter));
            Assert.Equal(from, counter[1]);
        }

        Assert.Equal(TensorState.Free, counter.LnFWeight);
    }

    [Fact]
    public void NewCounter_HasEveryTensorFree()
    {
        var counter = (Gpt2Block.StateCounter)Gpt2Block.CreateStateCounter();

        Assert.Equal(12, counter.TensorCount);
        Assert.Equal(12, counter.Count(TensorState.Free));
        Assert.True(counter.AllFree);
        Assert.False(counter.AllHold);
        Assert.Equal("AttnQkvWeight", counter.NameOf(2));
        Assert.Equal(TensorState.Free, counter.MlpProjBias);
    }

    [Fact]
    public void AllStateChecks_FollowTheCounts()
    {
        var counter = (Gpt2FinalNorm.StateCounter)Gpt2FinalNorm.CreateStateCounter();

        counter.Transition(0, TensorState.Compute);
        Assert.False(counter.AllCompute);
        counter.Transition(1, TensorState.Compute);
        Assert.True(counter.AllCompute);
        counter.Transition(0, TensorState.HoldAfterBackward);
        counter.Transition(1, TensorState.HoldAfterBackward);
        Assert.True(counter.AllHoldAfterBackward);
        counter.Transition(0, TensorState.ReadyForReduce);
        Assert.False(counter.AllReadyForReduce);
        counter.Transition(1, TensorState.ReadyForReduce);
        Assert.True(counter.AllReadyForReduce);
        counter.Transition(0, TensorState.Hold);
        counter.Transition(1, TensorState.Hold);
        Assert.True(counter.AllHold);
        Assert.Equal(2, counter.Count(TensorState.Hold));
        Assert.Equal(0, counter.Count(TensorState.Free));
    }

    [Fact]
    public void OutOfRangeArguments_Throw()
    {
        ITensorStateCounter counter = Gpt2FinalNorm.CreateStateCounter();

        Assert.Throws<ArgumentOutOfRangeException>(() => counter.Transition(2, TensorState.Hold));
        Assert.Throws<ArgumentOutOfRangeException>(() => counter[-1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => counter.NameOf(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => counter.Count((TensorState)5));
        Assert.Throws<IllegalStateTransitionException>(() => counter.Transition(0, (TensorState)7));
        Assert.Equal(2, counter.Count(TensorState.Free));
    }

    [Fact]
    public void Transition_AllocatesNothing()
    {
        ITensorStateCounter counter = Gpt2FinalNorm.CreateStateCounter();
        Cycle(counter);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Cycle(counter);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    private static void Cycle(ITensorStateCounter counter)
    {
        counter.Transition(0, TensorState.Compute);
        counter.Transition(0, TensorState.HoldAfterBackward);
        counter.Transition(0, TensorState.ReadyForReduce);
        counter.Transition(0, TensorState.Hold);
        counter.Transition(0, TensorState.Free);
    }

    private static void MoveTo(ITensorStateCounter counter, int tensor, TensorState state)
    {
        TensorState[] path = state switch
        {
            TensorState.Free => [],
            TensorState.Compute => [TensorState.Compute],
            TensorState.Hold => [TensorState.Hold],
            TensorState.HoldAfterBackward => [TensorState.Compute, TensorState.HoldAfterBackward],
            _ => [TensorState.Compute, TensorState.HoldAfterBackward, TensorState.ReadyForReduce],
        };
        foreach (TensorState step in path)
        {
            counter.Transition(tensor, step);
        }
    }

    private static int[] Counts(ITensorStateCounter counter) =>
        Enum.GetValues<TensorState>().Select(counter.Count).ToArray();
}
