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
        double fingerprint = NcclCollectiveFingerprint.Of("ReduceScatter", DType.BFloat16, ReduceOp.Average, long.MaxValue, 3, 1 << 20);

        Assert.True(fingerprint is >= 0 and < 1L << 52, $"{fingerprint} is outside [0, 2^52).");
        Assert.Equal(fingerprint, (double)(ulong)fingerprint);

        // The checked-mode comparison reduces (f, -f) with max: both must round-trip unchanged.
        Assert.Equal(-fingerprint, -(double)(ulong)fingerprint);
    }

    [Fact]
    public void Changing_any_part_of_a_call_changes_its_fingerprint()
    {
        double baseline = NcclCollectiveFingerprint.Of("AllGather", DType.Float16, ReduceOp.Sum, 1024, 0, 7);
        double[] variants =
        [
            NcclCollectiveFingerprint.Of("Broadcast", DType.Float16, ReduceOp.Sum, 1024, 0, 7),
            NcclCollectiveFingerprint.Of("AllGather", DType.BFloat16, ReduceOp.Sum, 1024, 0, 7),
            NcclCollectiveFingerprint.Of("AllGather", DType.Float16, ReduceOp.Average, 1024, 0, 7),
            NcclCollectiveFingerprint.Of("AllGather", DType.Float16, ReduceOp.Sum, 1025, 0, 7),
            NcclCollectiveFingerprint.Of("AllGather", DType.Float16, ReduceOp.Sum, 1024, 1, 7),
            NcclCollectiveFingerprint.Of("AllGather", DType.Float16, ReduceOp.Sum, 1024, 0, 8),
        ];

        Assert.Equal(baseline, NcclCollectiveFingerprint.Of("AllGather", DType.Float16, ReduceOp.Sum, 1024, 0, 7));
        Assert.All(variants, variant => Assert.NotEqual(baseline, variant));
        Assert.Equal(variants.Length, variants.Distinct().Count());
    }

    [Fact]
    public void The_description_names_the_call_for_the_mismatch_message()
    {
        Assert.Equal("Broadcast(Float32, 4 elements, op Sum, root 1)", NcclCollectiveFingerprint.Describe("Broadcast", DType.Float32, ReduceOp.Sum, 4, 1));
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
        NcclCollectiveFingerprint.Encode(calls.AsSpan(0, 6), "AllGather", DType.Float16, ReduceOp.Sum, 1024, 0, 7);
        NcclCollectiveFingerprint.Encode(calls.AsSpan(6, 6), "AllGather", DType.Float16, ReduceOp.Sum, 1024, 0, 7);
        NcclCollectiveFingerprint.Encode(calls.AsSpan(12, 6), "Broadcast", DType.Float16, ReduceOp.Sum, 2048, 1, 7);

        Assert.Equal(
            "Ranks disagree on collective #7: rank 2 called Broadcast(Float16, 2048 elements, op Sum, root 1) (#7) "
            + "while rank 0 called AllGather(Float16, 1024 elements, op Sum, root 0) (#7).",
            NcclCollectiveFingerprint.Mismatch(calls));
    }
}
