using Elixir.Kernels.Host;
using Elixir.Numerics;

namespace Elixir.Runtime.Tests.Kernels;

public sealed class HostKernelsConversionTests
{
    private static readonly HostKernels Kernels = new();

    public static TheoryData<int> Lengths => new() { 0, 1, 7, 16, 31, 33, 1023, 1024, 1025, 2500 };

    // float bits → (bf16 bits, fp16 bits) worked out by hand: keep the top bits, round the rest to nearest even.
    private static readonly (uint Float, ushort BFloat16, ushort Half)[] EdgeValues =
    [
        (0x3F800000u, 0x3F80, 0x3C00), // 1.0
        (0x3F808000u, 0x3F80, 0x3C04), // bf16 tie to even (down); fp16 exact
        (0x3F818000u, 0x3F82, 0x3C0C), // bf16 tie to even (up); fp16 exact
        (0x3F801000u, 0x3F80, 0x3C00), // fp16 tie (half of 2^-10), lower even: down
        (0x3F803000u, 0x3F80, 0x3C02), // fp16 tie, lower odd: up
        (0x80000000u, 0x8000, 0x8000), // -0
        (0x477FF000u, 0x4780, 0x7C00), // 65520 rounds to fp16 +inf; bf16 rounds up to 65536
        (0x7F800000u, 0x7F80, 0x7C00), // +inf
        (0xFF800000u, 0xFF80, 0xFC00), // -inf
        (0x33000000u, 0x3300, 0x0000), // 2^-25: fp16 tie between 0 and the smallest subnormal 2^-24 → 0 (even)
        (0x33C00000u, 0x33C0, 0x0002), // 1.5 * 2^-24: fp16 tie between subnormals 1 and 2 → 2 (even)
    ];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void CastFloat32ToBFloat16_RoundsEveryElementToNearestEven(int length)
    {
        float[] source = EdgeAndRandom(length, seed: 1);
        using var src = TestHostBuffer.Of<float>(source);
        using var dst = TestHostBuffer.Zeroed(length * 2L);

        Kernels.Cast(src.All, DType.Float32, dst.All, DType.BFloat16);

        ushort[] actual = dst.ToArray<ushort>();
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(ReferenceBFloat16Bits(source[i]), actual[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void CastFloat32ToFloat16_MatchesScalarHalfConversion(int length)
    {
        float[] source = EdgeAndRandom(length, seed: 2);
        using var src = TestHostBuffer.Of<float>(source);
        using var dst = TestHostBuffer.Zeroed(length * 2L);

        Kernels.Cast(src.All, DType.Float32, dst.All, DType.Float16);

        ushort[] actual = dst.ToArray<ushort>();
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(BitConverter.HalfToUInt16Bits((Half)source[i]), actual[i]);
        }
    }

    [Fact]
    public void CastEdgeValues_GiveTheHandComputedPatterns()
    {
        // Repeated so the values land in vector lanes and in the scalar tail.
        float[] source = Enumerable.Range(0, 37).Select(i => BitConverter.UInt32BitsToSingle(EdgeValues[i % EdgeValues.Length].Float)).ToArray();
        using var src = TestHostBuffer.Of<float>(source);
        using var bf16 = TestHostBuffer.Zeroed(source.Length * 2L);
        using var fp16 = TestHostBuffer.Zeroed(source.Length * 2L);

        Kernels.Cast(src.All, DType.Float32, bf16.All, DType.BFloat16);
        Kernels.Cast(src.All, DType.Float32, fp16.All, DType.Float16);

        for (int i = 0; i < source.Length; i++)
        {
            Assert.Equal(EdgeValues[i % EdgeValues.Length].BFloat16, bf16.ToArray<ushort>()[i]);
            Assert.Equal(EdgeValues[i % EdgeValues.Length].Half, fp16.ToArray<ushort>()[i]);
        }
    }

    [Fact]
    public void CastNaN_StaysNaNInEveryLane()
    {
        float[] source = Enumerable.Range(0, 35).Select(i => BitConverter.UInt32BitsToSingle(0x7F800001u + (uint)i)).ToArray();
        using var src = TestHostBuffer.Of<float>(source);
        using var bf16 = TestHostBuffer.Zeroed(source.Length * 2L);
        using var fp16 = TestHostBuffer.Zeroed(source.Length * 2L);

        Kernels.Cast(src.All, DType.Float32, bf16.All, DType.BFloat16);
        Kernels.Cast(src.All, DType.Float32, fp16.All, DType.Float16);

        Assert.All(bf16.ToArray<ushort>(), bits => Assert.True((bits & 0x7FFF) > 0x7F80));
        Assert.All(fp16.ToArray<ushort>(), bits => Assert.True((bits & 0x7FFF) > 0x7C00));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Widening_IsExact(int length)
    {
        var random = new Random(3);
        ushort[] bits = Enumerable.Range(0, length).Select(_ => (ushort)random.Next(0, 0x10000)).ToArray();
        using var src = TestHostBuffer.Of<ushort>(bits);
        using var fromBf16 = TestHostBuffer.Zeroed(length * 4L);
        using var fromFp16 = TestHostBuffer.Zeroed(length * 4L);

        Kernels.Cast(src.All, DType.BFloat16, fromBf16.All, DType.Float32);
        Kernels.Cast(src.All, DType.Float16, fromFp16.All, DType.Float32);

        for (int i = 0; i < length; i++)
        {
            Assert.Equal((uint)bits[i] << 16, BitConverter.SingleToUInt32Bits(fromBf16.ToArray<float>()[i]));
            Assert.Equal((float)BitConverter.UInt16BitsToHalf(bits[i]), fromFp16.ToArray<float>()[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void CastFloat16ToBFloat16_GoesThroughFloat32(int length)
    {
        float[] values = EdgeAndRandom(length, seed: 4);
        Half[] halves = values.Select(v => (Half)v).ToArray();
        using var src = TestHostBuffer.Of<Half>(halves);
        using var dst = TestHostBuffer.Zeroed(length * 2L);

        Kernels.Cast(src.All, DType.Float16, dst.All, DType.BFloat16);

        for (int i = 0; i < length; i++)
        {
            Assert.Equal(ReferenceBFloat16Bits((float)halves[i]), dst.ToArray<ushort>()[i]);
        }
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    public void Scale_MultipliesEachElementOnceAndRounds(DType type)
    {
        const int length = 2077;
        float[] values = EdgeAndRandom(length, seed: 5).Select(v => RoundTo(v, type)).ToArray();
        using var data = Store(values, type);

        Kernels.Scale(data.All, type, 0.375f);

        float[] actual = Load(data, type, length);
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(RoundTo(values[i] * 0.375f, type), actual[i]);
        }
    }

    [Fact]
    public void Cast_WithMismatchedLengths_ThrowsNamingTheSlice()
    {
        using var src = TestHostBuffer.Zeroed(40);
        using var dst = TestHostBuffer.Zeroed(18);

        var error = Assert.Throws<ArgumentException>(() => Kernels.Cast(src.All, DType.Float32, dst.All, DType.Float16));

        Assert.Contains("destination", error.Message);
        Assert.Contains("10", error.Message);
    }

    internal static float[] EdgeAndRandom(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = i < EdgeValues.Length
                ? BitConverter.UInt32BitsToSingle(EdgeValues[i].Float)
                : (float)((random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-30, 20)));
        }

        return values;
    }

    internal static ushort ReferenceBFloat16Bits(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x40);
        }

        uint upper = bits >> 16;
        uint lower = bits & 0xFFFF;
        bool roundUp = lower > 0x8000 || (lower == 0x8000 && (upper & 1) == 1);
        return (ushort)(upper + (roundUp ? 1u : 0u));
    }

    internal static float RoundTo(float value, DType type) => type switch
    {
        DType.Float32 => value,
        DType.Float16 => (float)(Half)value,
        _ => BitConverter.UInt32BitsToSingle((uint)ReferenceBFloat16Bits(value) << 16),
    };

    internal static TestHostBuffer Store(float[] values, DType type) => type switch
    {
        DType.Float32 => TestHostBuffer.Of<float>(values),
        DType.Float16 => TestHostBuffer.Of<Half>(values.Select(v => (Half)v).ToArray()),
        _ => TestHostBuffer.Of<ushort>(values.Select(ReferenceBFloat16Bits).ToArray()),
    };

    internal static float[] Load(TestHostBuffer buffer, DType type, int length)
    {
        float[] all = type switch
        {
            DType.Float32 => buffer.ToArray<float>(),
            DType.Float16 => buffer.ToArray<Half>().Select(h => (float)h).ToArray(),
            _ => buffer.ToArray<ushort>().Select(b => BitConverter.UInt32BitsToSingle((uint)b << 16)).ToArray(),
        };
        return all[..length];
    }
}
