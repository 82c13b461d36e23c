using Elixir.Kernels.Host;
using Elixir.Numerics;

namespace Elixir.Runtime.Tests.Kernels;

public sealed class HostKernelsReductionTests
{
    private static readonly HostKernels Kernels = new();

    public static TheoryData<DType, float> NonFiniteCases => new()
    {
        { DType.Float32, float.PositiveInfinity }, { DType.Float32, float.NegativeInfinity }, { DType.Float32, float.NaN },
        { DType.Float16, float.PositiveInfinity }, { DType.Float16, float.NegativeInfinity }, { DType.Float16, float.NaN },
        { DType.BFloat16, float.PositiveInfinity }, { DType.BFloat16, float.NegativeInfinity }, { DType.BFloat16, float.NaN },
    };

    [Theory]
    [MemberData(nameof(NonFiniteCases))]
    public void HasNonFinite_FindsTheValueAtEveryPosition(DType type, float bad)
    {
        const int length = 37; // whole vectors plus a tail for every vector width up to 32 lanes
        for (int position = 0; position < length; position++)
        {
            float[] values = Enumerable.Range(0, length).Select(i => 1000f - i).ToArray();
            values[position] = bad;
            using var data = HostKernelsConversionTests.Store(values, type);

            Assert.True(Kernels.HasNonFinite(data.All, type), $"{bad} at {position} of {type} missed");
        }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    public void HasNonFinite_IgnoresLargeFiniteValues(DType type)
    {
        float largest = type switch { DType.Float32 => float.MaxValue, DType.Float16 => 65504f, _ => 3.3895314e38f };
        float[] values = Enumerable.Range(0, 37).Select(i => i % 2 == 0 ? largest : -largest).ToArray();
        using var data = HostKernelsConversionTests.Store(values, type);

        Assert.False(Kernels.HasNonFinite(data.All, type));
    }

    [Theory]
    [InlineData(DType.Float32, 0)]
    [InlineData(DType.Float32, 5)]
    [InlineData(DType.Float32, 3001)]
    [InlineData(DType.Float16, 3001)]
    [InlineData(DType.BFloat16, 3001)]
    public void SumOfSquares_MatchesADoubleLoopWithinRoundoff(DType type, int length)
    {
        var random = new Random(length);
        float[] values = Enumerable.Range(0, length)
            .Select(_ => HostKernelsConversionTests.RoundTo((float)(random.NextDouble() * 4 - 2), type)).ToArray();
        using var data = HostKernelsConversionTests.Store(values, type);
        double expected = 0;
        foreach (float v in values)
        {
            expected += (double)v * v;
        }

        double actual = Kernels.SumOfSquares(data.All, type);

        // Squares of floats are exact in double; only the order of the double additions differs (≤ n ulp relative).
        Assert.Equal(expected, actual, Math.Max(expected, 1) * 1e-13);
    }

    [Fact]
    public async Task SumOfSquares_IsTheSameOnEveryThread()
    {
        float[] values = HostKernelsConversionTests.EdgeAndRandom(5000, seed: 9).Select(v => float.IsFinite(v) ? v : 1f).ToArray();
        using var data = TestHostBuffer.Of<float>(values);

        double first = Kernels.SumOfSquares(data.All, DType.Float32);
        double second = await Task.Run(() => Kernels.SumOfSquares(data.All, DType.Float32), TestContext.Current.CancellationToken);

        Assert.Equal(BitConverter.DoubleToInt64Bits(first), BitConverter.DoubleToInt64Bits(second));
    }
}
