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
