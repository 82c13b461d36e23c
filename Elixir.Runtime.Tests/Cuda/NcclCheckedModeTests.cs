using System.Reflection;
using Elixir.Collectives;
using Elixir.Collectives.Nccl;
using Elixir.Cuda;
using Elixir.Numerics;

namespace Elixir.Runtime.Tests.Cuda;

/// <summary>The host-side half of the NCCL communicator's checked mode: the fingerprint the ranks compare, and its default.</summary>
public sealed class NcclCheckedModeTests
{
    [Fact]
    public void A_fingerprint_is_an_integer_that_a_double_holds_exactly()
    {
        double fingerprint = NcclCollectiveFingerprint.Of(new CollectiveFingerprint(1 << 20, CollectiveKind.ReduceScatter, long.MaxValue, DType.BFloat16, ReduceOp.Average, 3));

        Assert.True(fingerprint is >= 0 and < 1L << 52, $"{fingerprint} is outside [0, 2^52).");
        Assert.Equal(fingerprint, (double)(ulong)fingerprint);

        // The checked-mode comparison reduces (f, -f) with max: both must round-trip unchanged.
        Assert.Equal(-fingerprint, -(double)(ulong)fingerprint);
    }

    [Fact]
    public void Changing_any_part_of_a_call_changes_its_fingerprint()
    {
        double baseline = NcclCollectiveFingerprint.Of(new CollectiveFingerprint(7, CollectiveKind.AllGather, 1024, DType.Float16, ReduceOp.Sum, 0));
        double[] variants =
        [
            NcclCollectiveFingerprint.Of(new CollectiveFingerprint(7, CollectiveKind.Broadcast, 1024, DType.Float16, ReduceOp.Sum, 0)),
            NcclCollectiveFingerprint.Of(new CollectiveFingerprint(7, CollectiveKind.AllGather, 1024, DType.BFloat16, ReduceOp.Sum, 0)),
            NcclCollectiveFingerprint.Of(new CollectiveFingerprint(7, CollectiveKind.AllGather, 1024, DType.Float16, ReduceOp.Average, 0)),
            NcclCollectiveFingerprint.Of(new CollectiveFingerprint(7, CollectiveKind.AllGather, 1025, DType.Float16, ReduceOp.Sum, 0)),
            NcclCollectiveFingerprint.Of(new CollectiveFingerprint(7, CollectiveKind.AllGather, 1024, DType.Float16, ReduceOp.Sum, 1)),
            NcclCollectiveFingerprint.Of(new CollectiveFingerprint(8, CollectiveKind.AllGather, 1024, DType.Float16, ReduceOp.Sum, 0)),
        ];

        Assert.Equal(baseline, NcclCollectiveFingerprint.Of(new CollectiveFingerprint(7, CollectiveKind.AllGather, 1024, DType.Float16, ReduceOp.Sum, 0)));
        Assert.All(variants, variant => Assert.NotEqual(baseline, variant));
        Assert.Equal(variants.Length, variants.Distinct().Count());
    }

    [Fact]
    public void The_encoded_call_decodes_to_the_call_the_mismatch_message_names()
    {
        var call = new CollectiveFingerprint(3, CollectiveKind.Broadcast, 4, DType.Float32, ReduceOp.Sum, 1);
        var values = new double[NcclCollectiveFingerprint.CallValues];
        NcclCollectiveFingerprint.Encode(values, call);

        Assert.Equal(call, NcclCollectiveFingerprint.Decode(values));
        Assert.Equal("Broadcast of 4 x Float32 from rank 1 (#3)", NcclCollectiveFingerprint.Decode(values).ToString());
    }

    [Fact]
    public void Checked_mode_is_off_unless_asked_for()
    {
        MethodInfo[] factories = [.. typeof(NcclCommunicator).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name is "Create" or "CreateAll")];

        Assert.Equal(3, factories.Length);
        Assert.All(factories, factory =>
        {
            ParameterInfo option = factory.GetParameters().Single(p => p.Name == "checkedMode");
            Assert.True(option.HasDefaultValue);
            Assert.Equal(false, option.DefaultValue);
        });
    }
}

/// <summary>The message every rank raises when checked-mode fingerprints disagree: it names both calls.</summary>
public sealed class NcclMismatchMessageTests
{
    [Fact]
    public void The_first_rank_that_differs_from_rank_0_is_named_with_both_calls()
    {
        var calls = new double[3 * NcclCollectiveFingerprint.CallValues];
        var gather = new CollectiveFingerprint(7, CollectiveKind.AllGather, 1024, DType.Float16, ReduceOp.Sum, -1);
        var broadcast = new CollectiveFingerprint(7, CollectiveKind.Broadcast, 2048, DType.Float16, ReduceOp.Sum, 1);
        NcclCollectiveFingerprint.Encode(calls.AsSpan(0, 6), gather);
        NcclCollectiveFingerprint.Encode(calls.AsSpan(6, 6), gather);
        NcclCollectiveFingerprint.Encode(calls.AsSpan(12, 6), broadcast);

        // The same exception type, fields and message as a host mismatch.
        var mismatch = Assert.IsType<CollectiveMismatchException>(NcclCollectiveFingerprint.Mismatch(calls));
        Assert.Equal(
            "Collective mismatch: rank 2 called Broadcast of 2048 x Float16 from rank 1 (#7) "
            + "while rank 0 called AllGather of 1024 x Float16 (#7).",
            mismatch.Message);
        Assert.Equal((2, broadcast, 0, gather), (mismatch.Rank, mismatch.Call, mismatch.OtherRank, mismatch.OtherCall));
    }
}
