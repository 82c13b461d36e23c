using Elixir.Kernels.Host;
using Elixir.Numerics;

namespace Elixir.Runtime.Tests.Kernels;

/// <summary>
/// Sum of squares and scale on non-finite and subnormal values, in the vector body and in the tail: infinities and
/// NaN propagate as IEEE arithmetic says, subnormals are neither flushed to zero nor lost.
/// </summary>
public sealed class HostKernelsSpecialValueTests
{
    private const int Length = 37; // whole vectors plus a tail for every vector width up to 32 lanes
    private static readonly HostKernels Kernels = new();

    public static TheoryData<DType, float, double> NonFiniteCases => new()
    {
        { DType.Float32, float.PositiveInfinity, double.PositiveInfinity },
        { DType.Float32, float.NegativeInfinity, double.PositiveInfinity },
        { DType.Float32, float.NaN, double.NaN },
        { DType.Float16, float.NegativeInfinity, double.PositiveInfinity },
        { DType.Float16, float.NaN, double.NaN },
        { DType.BFloat16, float.PositiveInfinity, double.PositiveInfinity },
        { DType.BFloat16, float.NaN, double.NaN },
    };

    [Theory]
    [MemberData(nameof(NonFiniteCases))]
    public void SumOfSquares_WithANonFiniteValueAnywhere_IsInfinityOrNaN(DType type, float bad, double expected)
    {
        foreach (int position in new[] { 0, 7, 16, 31, Length - 1 })
        {
            float[] values = Enumerable.Range(0, Length).Select(i => 0.25f * (i % 5)).ToArray();
            values[position] = bad;
            using var data = HostKernelsConversionTests.Store(values, type);

            Assert.Equal(expected, Kernels.SumOfSquares(data.All, type));
        }
    }

    [Fact]
    public void SumOfSquares_WithInfinityAndNaN_IsNaN()
    {
        float[] values = new float[Length];
        values[3] = float.PositiveInfinity;
        values[Length - 1] = float.NaN;
        using var data = TestHostBuffer.Of<float>(values);

        Assert.True(double.IsNaN(Kernels.SumOfSquares(data.All, DType.Float32)));
    }

    [Theory]
    [InlineData(DType.Float32, 0x0000_0001u)] // the smallest fp32 subnormal, 2^-149
    [InlineData(DType.Float32, 0x0040_0000u)] // 2^-127
    [InlineData(DType.Float16, 0x3380_0000u)] // 2^-24, the smallest fp16 subnormal
    [InlineData(DType.BFloat16, 0x0001_0000u)] // 2^-133, a bf16 subnormal
    public void SumOfSquares_OfSubnormals_IsTheExactSumInDouble(DType type, uint floatBits)
    {
        float unit = BitConverter.UInt32BitsToSingle(floatBits);
        float[] values = Enumerable.Range(0, Length).Select(i => unit * (i % 3 + 1)).ToArray();
        using var data = HostKernelsConversionTests.Store(values, type);
        double expected = 0;
        foreach (float v in values)
        {
            expected += (double)v * v;
        }

        double actual = Kernels.SumOfSquares(data.All, type);

        Assert.True(expected > 0);
        Assert.Equal(expected, actual, expected * 1e-13);
    }

    [Fact]
    public void Scale_Float32Subnormals_RoundLikeScalarMultiplication()
    {
        float[] values = Enumerable.Range(0, Length)
            .Select(i => BitConverter.UInt32BitsToSingle((uint)(1 + 37 * i)) * (i % 2 == 0 ? 1 : -1)).ToArray();
        values[5] = float.PositiveInfinity;
        values[Length - 2] = float.NaN;
        using var data = TestHostBuffer.Of<float>(values);

        Kernels.Scale(data.All, DType.Float32, 0.75f);

        float[] actual = data.ToArray<float>();
        for (int i = 0; i < Length; i++)
        {
            Assert.Equal(BitConverter.SingleToUInt32Bits(values[i] * 0.75f), BitConverter.SingleToUInt32Bits(actual[i]));
        }
    }
}
