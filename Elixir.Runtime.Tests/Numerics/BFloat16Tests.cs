using Elixir.Numerics;

namespace Elixir.Runtime.Tests.Numerics;

public sealed class BFloat16Tests
{
    // Expected bit patterns worked out by hand from the binary32 patterns (keep the top 16 bits, round the low 16
    // to nearest, ties to even).
    [Theory]
    [InlineData(0x3F800000u, (ushort)0x3F80)] // 1.0 exact
    [InlineData(0x3F808000u, (ushort)0x3F80)] // tie, lower is even: stays
    [InlineData(0x3F818000u, (ushort)0x3F82)] // tie, lower is odd: rounds up to even
    [InlineData(0x3F807FFFu, (ushort)0x3F80)] // just below half: down
    [InlineData(0x3F808001u, (ushort)0x3F81)] // just above half: up
    [InlineData(0x80000000u, (ushort)0x8000)] // -0
    [InlineData(0x00000001u, (ushort)0x0000)] // smallest subnormal rounds to +0
    [InlineData(0x7F7FFFFFu, (ushort)0x7F80)] // float.MaxValue overflows to +inf
    [InlineData(0x7F800000u, (ushort)0x7F80)] // +inf
    [InlineData(0xFF800000u, (ushort)0xFF80)] // -inf
    [InlineData(0x7FC00000u, (ushort)0x7FC0)] // quiet NaN
    [InlineData(0x7F800001u, (ushort)0x7FC0)] // signalling NaN with low payload must stay NaN, not become inf
    [InlineData(0xFFFFFFFFu, (ushort)0xFFFF)] // negative NaN with full payload
    public void FromSingle_RoundsToNearestEven(uint floatBits, ushort expected)
    {
        var value = BFloat16.FromSingle(BitConverter.UInt32BitsToSingle(floatBits));
        Assert.Equal(expected, value.RawBits);
    }

    [Fact]
    public void NonFiniteValues_SurviveTheRoundTrip()
    {
        Assert.True(float.IsNaN((float)BFloat16.FromSingle(float.NaN)));
        Assert.Equal(float.PositiveInfinity, (float)BFloat16.FromSingle(float.PositiveInfinity));
        Assert.Equal(float.NegativeInfinity, (float)BFloat16.FromSingle(float.NegativeInfinity));
        Assert.True(BFloat16.IsNonFinite(BFloat16.FromSingle(float.NaN)));
        Assert.False(BFloat16.IsNonFinite(BFloat16.FromSingle(3.5f)));
    }

    [Fact]
    public void ToSingle_IsExactForEveryFinitePattern()
    {
        for (int bits = 0; bits <= 0xFFFF; bits++)
        {
            var value = BFloat16.FromBits((ushort)bits);
            if (BFloat16.IsNaN(value))
            {
                continue;
            }

            Assert.Equal((ushort)bits, BFloat16.FromSingle(value.ToSingle()).RawBits);
        }
    }
}
