using Elixir.Kernels;
using Elixir.Kernels.Host;
using Elixir.Numerics;

namespace Elixir.Runtime.Tests.Kernels;

/// <summary>
/// The optimizer kernels' result for an element must not depend on where the element sits in the buffer: vector
/// lanes, the scalar tail and the widening blocks round identically, so a shard boundary that moves with the world
/// size changes no bit. Each test runs a kernel on a buffer, then on the same values behind 1..7 leading elements,
/// and compares the shifted results bit for bit.
/// </summary>
public sealed class HostKernelsPositionTests
{
    private const int Length = 1037; // one full 1024-element block, a partial block and a vector tail
    private static readonly HostKernels Kernels = new();

    public static TheoryData<bool, float, float, DType, DType> AdamCases => new()
    {
        { true, 0.01f, 0.9f, DType.Float32, DType.Float32 },
        { false, 0.05f, 0.9f, DType.Float16, DType.Float16 },
        { true, 0.1f, 0.3f, DType.BFloat16, DType.BFloat16 }, // beta1 < 0.5: the other side of torch.lerp
        { false, 0f, 0.3f, DType.Float32, DType.Float16 },
    };

    public static TheoryData<int> Shifts => new() { 1, 2, 3, 4, 5, 6, 7 };

    [Theory]
    [MemberData(nameof(AdamCases))]
    public void Adam_ShiftedByOneToSevenElements_GivesBitIdenticalResults(
        bool decoupled, float weightDecay, float beta1, DType gradientType, DType parameterType)
    {
        var values = new OptimizerValues(Length, seed: 21, gradientType);
        var parameters = new AdamParameters(1e-3f, beta1, 0.999f, 1e-8f, weightDecay, decoupled, Step: 3, GradientScale: 1f / 128);
        uint[][] expected = RunAdam(values, shift: 0, gradientType, parameterType, parameters);

        foreach (int shift in Shifts)
        {
            uint[][] shifted = RunAdam(values, shift, gradientType, parameterType, parameters);

            for (int k = 0; k < expected.Length; k++)
            {
                Assert.True(expected[k].AsSpan().SequenceEqual(shifted[k]), $"output {k} differs when shifted by {shift}");
            }
        }
    }

    [Theory]
    [InlineData(0.9f, 0.1f, 0.01f, false, DType.Float16)]
    [InlineData(0.9f, 0f, 0f, true, DType.BFloat16)]
    [InlineData(0f, 0f, 0.05f, false, DType.Float32)]
    public void Sgd_ShiftedByOneToSevenElements_GivesBitIdenticalResults(
        float momentum, float dampening, float weightDecay, bool nesterov, DType type)
    {
        var values = new OptimizerValues(Length, seed: 22, type);
        var parameters = new SgdParameters(0.05f, momentum, dampening, weightDecay, nesterov, FirstStep: false, GradientScale: 0.5f);
        uint[][] expected = RunSgd(values, shift: 0, type, parameters);

        foreach (int shift in Shifts)
        {
            uint[][] shifted = RunSgd(values, shift, type, parameters);

            for (int k = 0; k < expected.Length; k++)
            {
                Assert.True(expected[k].AsSpan().SequenceEqual(shifted[k]), $"output {k} differs when shifted by {shift}");
            }
        }
    }

    private static uint[][] RunAdam(OptimizerValues values, int shift, DType gradientType, DType parameterType, in AdamParameters parameters)
    {
        using var master = TestHostBuffer.Of<float>(values.Shifted(values.Master, shift));
        using var m = TestHostBuffer.Of<float>(values.Shifted(values.First, shift));
        using var v = TestHostBuffer.Of<float>(values.Shifted(values.Second, shift));
        using var gradient = HostKernelsConversionTests.Store(values.Shifted(values.Gradient, shift), gradientType);
        using var parameter = TestHostBuffer.Zeroed((long)(Length + shift) * parameterType.SizeOf());

        Kernels.Adam(master.All, m.All, v.All, gradient.All, gradientType, parameter.All, parameterType, parameters);

        return [Bits(master, shift), Bits(m, shift), Bits(v, shift), ParameterBits(parameter, parameterType, shift)];
    }

    private static uint[][] RunSgd(OptimizerValues values, int shift, DType type, in SgdParameters parameters)
    {
        using var master = TestHostBuffer.Of<float>(values.Shifted(values.Master, shift));
        using var momentum = TestHostBuffer.Of<float>(values.Shifted(values.First, shift));
        using var gradient = HostKernelsConversionTests.Store(values.Shifted(values.Gradient, shift), type);
        using var parameter = TestHostBuffer.Zeroed((long)(Length + shift) * type.SizeOf());

        Kernels.Sgd(master.All, momentum.All, gradient.All, type, parameter.All, type, parameters);

        return [Bits(master, shift), Bits(momentum, shift), ParameterBits(parameter, type, shift)];
    }

    private static uint[] Bits(TestHostBuffer buffer, int shift) =>
        buffer.ToArray<float>()[shift..].Select(BitConverter.SingleToUInt32Bits).ToArray();

    private static uint[] ParameterBits(TestHostBuffer buffer, DType type, int shift) => type == DType.Float32
        ? Bits(buffer, shift)
        : buffer.ToArray<ushort>()[shift..].Select(b => (uint)b).ToArray();

    /// <summary>Optimizer inputs over several orders of magnitude, subnormal gradients included.</summary>
    private sealed class OptimizerValues
    {
        private readonly float[] _padding;

        public OptimizerValues(int length, int seed, DType gradientType)
        {
            var random = new Random(seed);
            Master = Draw(random, length, -4, 4);
            First = Draw(random, length, -12, 2);
            Second = Draw(random, length, -20, 2).Select(MathF.Abs).ToArray();
            Gradient = Draw(random, length, -30, 12).Select(g => HostKernelsConversionTests.RoundTo(g, gradientType)).ToArray();
            Gradient[5] = HostKernelsConversionTests.RoundTo(float.Epsilon * 3, gradientType);
            Gradient[length - 2] = HostKernelsConversionTests.RoundTo(-1.5e-40f, gradientType);
            _padding = Draw(random, 8, -2, 2);
        }

        public float[] Master { get; }

        public float[] First { get; }

        public float[] Second { get; }

        public float[] Gradient { get; }

        /// <summary><paramref name="values"/> behind <paramref name="shift"/> unrelated leading elements.</summary>
        public float[] Shifted(float[] values, int shift) => [.. _padding[..shift], .. values];

        private static float[] Draw(Random random, int length, int minExponent, int maxExponent) =>
            Enumerable.Range(0, length)
                .Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(2, random.Next(minExponent, maxExponent))))
                .ToArray();
    }
}
