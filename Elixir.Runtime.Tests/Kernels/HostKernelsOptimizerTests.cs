using Elixir.Kernels;
using Elixir.Kernels.Host;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Runtime.Tests.Kernels;

public sealed class HostKernelsOptimizerTests
{
    private const int Length = 1037; // one full block, a partial block and a vector tail
    private const int Steps = 5;
    private static readonly HostKernels Kernels = new();

    public static TheoryData<bool, float, DType, DType> AdamCases => new()
    {
        { false, 0f, DType.Float32, DType.Float32 },
        { false, 0.01f, DType.Float32, DType.Float16 },
        { true, 0.1f, DType.Float32, DType.BFloat16 },
        { true, 0.1f, DType.Float16, DType.Float16 },
        { false, 0.05f, DType.BFloat16, DType.BFloat16 },
    };

    [Theory]
    [MemberData(nameof(AdamCases))]
    public void Adam_MatchesTheScalarPyTorchFormulaBitForBit(bool decoupled, float weightDecay, DType gradientType, DType parameterType)
    {
        var random = new Random(11);
        float[] master = Enumerable.Range(0, Length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] m = new float[Length];
        float[] v = new float[Length];
        float[] referenceMaster = (float[])master.Clone();
        using var masterBuffer = TestHostBuffer.Of<float>(master);
        using var mBuffer = TestHostBuffer.Zeroed(Length * 4L);
        using var vBuffer = TestHostBuffer.Zeroed(Length * 4L);
        using var parameterBuffer = TestHostBuffer.Zeroed((long)Length * parameterType.SizeOf());

        for (int step = 1; step <= Steps; step++)
        {
            float[] gradient = Enumerable.Range(0, Length)
                .Select(_ => HostKernelsConversionTests.RoundTo((float)(random.NextDouble() * 200 - 100), gradientType)).ToArray();
            using var gradientBuffer = HostKernelsConversionTests.Store(gradient, gradientType);
            var parameters = new AdamParameters(1e-3f, 0.9f, 0.999f, 1e-8f, weightDecay, decoupled, step, 1f / 64);

            Kernels.Adam(masterBuffer.All, mBuffer.All, vBuffer.All, gradientBuffer.All, gradientType,
                parameterBuffer.All, parameterType, parameters);
            ReferenceAdam(referenceMaster, m, v, gradient, 1e-3f, 0.9f, 0.999f, 1e-8f, weightDecay, decoupled, step, 1f / 64);
        }

        Assert.Equal(referenceMaster, masterBuffer.ToArray<float>());
        Assert.Equal(m, mBuffer.ToArray<float>());
        Assert.Equal(v, vBuffer.ToArray<float>());
        Assert.Equal(
            referenceMaster.Select(x => HostKernelsConversionTests.RoundTo(x, parameterType)),
            HostKernelsConversionTests.Load(parameterBuffer, parameterType, Length));
    }

    [Fact]
    public void Adam_WithAnEmptyParameterSlice_UpdatesOnlyTheMasterCopy()
    {
        using var master = TestHostBuffer.Of<float>([1f, 2f, 3f]);
        using var m = TestHostBuffer.Zeroed(12);
        using var v = TestHostBuffer.Zeroed(12);
        using var gradient = TestHostBuffer.Of<float>([1f, 1f, 1f]);
        using var parameter = TestHostBuffer.Zeroed(6);

        Kernels.Adam(master.All, m.All, v.All, gradient.All, DType.Float32, parameter.All.Slice(0, 0), DType.Float16,
            new AdamParameters(0.1f, 0.9f, 0.999f, 1e-8f, 0f, false, 1, 1f));

        // Step 1 with a constant gradient moves every weight by about lr (m̂ / sqrt(v̂) = 1).
        Assert.Equal([0.9f, 1.9f, 2.9f], master.ToArray<float>().Select(x => MathF.Round(x, 5)));
        Assert.All(parameter.ToArray<ushort>(), bits => Assert.Equal(0, bits));
    }

    [Fact]
    public void Adam_WithMismatchedSlices_ThrowsAndChangesNothing()
    {
        using var master = TestHostBuffer.Of<float>([1f, 2f, 3f]);
        using var m = TestHostBuffer.Zeroed(12);
        using var v = TestHostBuffer.Zeroed(8);
        using var gradient = TestHostBuffer.Of<float>([1f, 1f, 1f]);

        var error = Assert.Throws<ArgumentException>(() => Kernels.Adam(master.All, m.All, v.All, gradient.All,
            DType.Float32, default, DType.Float32, new AdamParameters(0.1f, 0.9f, 0.999f, 1e-8f, 0f, false, 1, 1f)));

        Assert.Contains("expAvgSq", error.Message);
        Assert.Equal([1f, 2f, 3f], master.ToArray<float>());
    }

    [Fact]
    public void Adam_WithStepZero_Throws()
    {
        using var one = TestHostBuffer.Of<float>([1f]);

        Assert.Throws<ArgumentOutOfRangeException>(() => Kernels.Adam(one.All, one.All, one.All, one.All, DType.Float32,
            default, DType.Float32, new AdamParameters(0.1f, 0.9f, 0.999f, 1e-8f, 0f, false, 0, 1f)));
    }

    public static TheoryData<float, float, float, bool, DType> SgdCases => new()
    {
        { 0f, 0f, 0f, false, DType.Float32 },
        { 0.9f, 0f, 0f, false, DType.Float16 },
        { 0.9f, 0.1f, 0.01f, false, DType.BFloat16 },
        { 0.9f, 0f, 0.01f, true, DType.Float32 },
    };

    [Theory]
    [MemberData(nameof(SgdCases))]
    public void Sgd_MatchesTheScalarPyTorchFormulaBitForBit(float momentum, float dampening, float weightDecay, bool nesterov, DType parameterType)
    {
        var random = new Random(12);
        float[] master = Enumerable.Range(0, Length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] buffer = new float[Length];
        float[] referenceMaster = (float[])master.Clone();
        using var masterBuffer = TestHostBuffer.Of<float>(master);
        using var momentumBuffer = TestHostBuffer.Zeroed(momentum == 0 ? 0 : Length * 4L);
        using var parameterBuffer = TestHostBuffer.Zeroed((long)Length * parameterType.SizeOf());

        for (int step = 1; step <= Steps; step++)
        {
            float[] gradient = Enumerable.Range(0, Length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            using var gradientBuffer = TestHostBuffer.Of<float>(gradient);
            var parameters = new SgdParameters(0.05f, momentum, dampening, weightDecay, nesterov, step == 1, 0.5f);

            Kernels.Sgd(masterBuffer.All, momentumBuffer.All, gradientBuffer.All, DType.Float32,
                parameterBuffer.All, parameterType, parameters);
            ReferenceSgd(referenceMaster, buffer, gradient, 0.05f, momentum, dampening, weightDecay, nesterov, step == 1, 0.5f);
        }

        Assert.Equal(referenceMaster, masterBuffer.ToArray<float>());
        if (momentum != 0)
        {
            Assert.Equal(buffer, momentumBuffer.ToArray<float>());
        }

        Assert.Equal(
            referenceMaster.Select(x => HostKernelsConversionTests.RoundTo(x, parameterType)),
            HostKernelsConversionTests.Load(parameterBuffer, parameterType, Length));
    }

    [Fact]
    public void AdamAndSgd_AllocateNothingAfterWarmUp()
    {
        using var master = TestHostBuffer.Zeroed(Length * 4L);
        using var m = TestHostBuffer.Zeroed(Length * 4L);
        using var v = TestHostBuffer.Zeroed(Length * 4L);
        using var gradient = TestHostBuffer.Zeroed(Length * 2L);
        using var parameter = TestHostBuffer.Zeroed(Length * 2L);
        var adam = new AdamParameters(1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, true, 1, 1f);
        var sgd = new SgdParameters(1e-3f, 0.9f, 0f, 0f, true, false, 1f);
        RunBoth(master.All, m.All, v.All, gradient.All, parameter.All, adam, sgd);

        long before = GC.GetAllocatedBytesForCurrentThread();
        RunBoth(master.All, m.All, v.All, gradient.All, parameter.All, adam, sgd);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    private static void RunBoth(BufferSlice master, BufferSlice m, BufferSlice v, BufferSlice gradient, BufferSlice parameter,
        in AdamParameters adam, in SgdParameters sgd)
    {
        Kernels.Adam(master, m, v, gradient, DType.BFloat16, parameter, DType.BFloat16, adam);
        Kernels.Sgd(master, m, gradient, DType.Float16, parameter, DType.Float16, sgd);
        Kernels.HasNonFinite(gradient, DType.Float16);
        Kernels.SumOfSquares(gradient, DType.BFloat16);
    }

    // torch.optim.Adam/AdamW (single-tensor path) written out per element; Python's scalar arithmetic is in double.
    private static void ReferenceAdam(float[] p, float[] m, float[] v, float[] gradient, float lr, float beta1, float beta2,
        float eps, float weightDecay, bool decoupled, int step, float gradientScale)
    {
        float stepSize = (float)((double)lr / (1 - Math.Pow(beta1, step)));
        float bc2Sqrt = (float)Math.Sqrt(1 - Math.Pow(beta2, step));
        float weight = (float)(1 - (double)beta1);
        for (int i = 0; i < p.Length; i++)
        {
            float g = gradient[i] * gradientScale;
            if (decoupled)
            {
                p[i] *= (float)(1 - (double)lr * weightDecay);
            }
            else if (weightDecay != 0)
            {
                g += weightDecay * p[i];
            }

            m[i] += weight * (g - m[i]); // torch.lerp with weight < 0.5
            v[i] = beta2 * v[i] + (float)(1 - (double)beta2) * g * g;
            float denominator = MathF.Sqrt(v[i]) / bc2Sqrt + eps;
            p[i] += -stepSize * (m[i] / denominator);
        }
    }

    // torch.optim.SGD (single-tensor path) written out per element.
    private static void ReferenceSgd(float[] p, float[] buffer, float[] gradient, float lr, float momentum, float dampening,
        float weightDecay, bool nesterov, bool firstStep, float gradientScale)
    {
        for (int i = 0; i < p.Length; i++)
        {
            float g = gradient[i] * gradientScale;
            if (weightDecay != 0)
            {
                g += weightDecay * p[i];
            }

            if (momentum != 0)
            {
                buffer[i] = firstStep ? g : momentum * buffer[i] + (1 - dampening) * g;
                g = nesterov ? g + momentum * buffer[i] : buffer[i];
            }

            p[i] += -lr * g;
        }
    }
}
