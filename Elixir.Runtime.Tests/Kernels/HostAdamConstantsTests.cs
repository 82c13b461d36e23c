using Elixir.Kernels;
using Elixir.Kernels.Host;
using Elixir.Numerics;
using Elixir.Optim;

namespace Elixir.Runtime.Tests.Kernels;

/// <summary>
/// Adam's constants come from the double hyper-parameters, as PyTorch computes them from Python floats: the fp32
/// moments then differ from an all-double Adam only by fp32 rounding. Rounding 0.999 to fp32 before taking
/// 1 - beta2 (0.00099998713 instead of 0.001) would put exp_avg_sq 1.3e-5 off.
/// </summary>
public sealed class HostAdamConstantsTests
{
    private const double LearningRate = 1e-3, Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8, WeightDecay = 0.01;

    [Fact]
    public void AdamOptions_PassTheHyperParametersOnInDouble()
    {
        var options = new AdamOptions(new AdamHyperParameters(LearningRate: 3e-3, WeightDecay: 0.1), decoupled: true);

        AdamParameters parameters = options.KernelParameters(0, step: 4, gradientScale: 0.5f);

        Assert.Equal(new AdamParameters(3e-3, 0.9, 0.999, 1e-8, 0.1, true, 4, 0.5f), parameters);
    }

    [Fact]
    public void AdamW_MomentsAndWeights_MatchAnAllDoubleAdamToFp32Rounding()
    {
        const int length = 37; // a vector block and a scalar tail
        const int steps = 6;
        var random = new Random(5);
        double[] p = Enumerable.Range(0, length).Select(_ => random.NextDouble() + 0.5).ToArray();
        double[] m = new double[length];
        double[] v = new double[length];
        using var master = TestHostBuffer.Of<float>([.. p.Select(x => (float)x)]);
        p = [.. master.ToArray<float>().Select(x => (double)x)]; // start both from the same fp32 values
        using var first = TestHostBuffer.Zeroed(length * 4L);
        using var second = TestHostBuffer.Zeroed(length * 4L);

        for (int step = 1; step <= steps; step++)
        {
            float[] gradient = [.. Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() + 0.5))]; // positive: m and v never cancel to near 0
            using var gradientBuffer = TestHostBuffer.Of<float>(gradient);
            new HostKernels().Adam(master.All, first.All, second.All, gradientBuffer.All, DType.Float32, default, DType.Float32,
                new AdamParameters(LearningRate, Beta1, Beta2, Epsilon, WeightDecay, true, step, 1f));
            DoubleAdamW(p, m, v, gradient, step);
        }

        AssertClose(v, second.ToArray<float>(), 1e-6, "exp_avg_sq");
        AssertClose(m, first.ToArray<float>(), 1e-6, "exp_avg");
        AssertClose(p, master.ToArray<float>(), 1e-6, "parameters");
    }

    // torch.optim.AdamW's update in double throughout (the exact arithmetic fp32 approximates).
    private static void DoubleAdamW(double[] p, double[] m, double[] v, float[] gradient, int step)
    {
        double biasCorrection1 = 1 - Math.Pow(Beta1, step);
        double biasCorrection2 = 1 - Math.Pow(Beta2, step);
        for (int i = 0; i < p.Length; i++)
        {
            double g = gradient[i];
            p[i] *= 1 - LearningRate * WeightDecay;
            m[i] = Beta1 * m[i] + (1 - Beta1) * g;
            v[i] = Beta2 * v[i] + (1 - Beta2) * g * g;
            p[i] -= LearningRate / biasCorrection1 * m[i] / (Math.Sqrt(v[i]) / Math.Sqrt(biasCorrection2) + Epsilon);
        }
    }

    private static void AssertClose(double[] expected, float[] actual, double relative, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]) / Math.Abs(expected[i]);
            Assert.True(error <= relative, $"{what}[{i}]: {actual[i]:R} against {expected[i]:R}, relative error {error:E2} > {relative:E0}");
        }
    }
}
