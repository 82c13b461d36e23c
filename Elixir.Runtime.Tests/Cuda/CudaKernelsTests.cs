using Elixir.Kernels;
using Elixir.Memory;
using Elixir.Numerics;
using Elixir.Runtime.Tests.Kernels;

namespace Elixir.Runtime.Tests.Cuda;

[Trait("Category", GpuRequirement.Category)]
public sealed class CudaKernelsTests
{
    private const int Count = 70_001;

    private static float[] RandomValues(int seed, int count = Count, float scale = 4f)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1) * scale)];
    }

    private static float Round(float value, DType type) => type switch
    {
        DType.Float16 => ReferenceRounding.RoundToHalf(value),
        DType.BFloat16 => ReferenceRounding.RoundToBFloat16(value),
        _ => value,
    };

    private static NativeBuffer UploadAs(GpuSession gpu, float[] values, DType type) => type switch
    {
        DType.Float16 => gpu.Upload<ushort>([.. values.Select(v => BitConverter.HalfToUInt16Bits((Half)v))]),
        DType.BFloat16 => gpu.Upload<ushort>([.. values.Select(ReferenceRounding.ToBFloat16Bits)]),
        _ => gpu.Upload<float>(values),
    };

    private static float[] DownloadAs(GpuSession gpu, NativeBuffer buffer, DType type) => type switch
    {
        DType.Float16 => [.. gpu.Download<ushort>(buffer).Select(b => (float)BitConverter.UInt16BitsToHalf(b))],
        DType.BFloat16 => [.. gpu.Download<ushort>(buffer).Select(ReferenceRounding.FromBFloat16Bits)],
        _ => gpu.Download<float>(buffer),
    };

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    public void Scale_rounds_each_product_to_the_element_type(DType type)
    {
        GpuRequirement.Devices();
        using var gpu = new GpuSession();
        float[] values = [.. RandomValues(1).Select(v => Round(v, type))];
        using NativeBuffer data = UploadAs(gpu, values, type);

        gpu.Kernels.Scale(data.All, type, 0.37f);

        Assert.Equal([.. values.Select(v => Round(v * 0.37f, type))], DownloadAs(gpu, data, type));
    }

    [Theory]
    [InlineData(DType.Float32, DType.Float16)]
    [InlineData(DType.Float32, DType.BFloat16)]
    [InlineData(DType.Float16, DType.Float32)]
    [InlineData(DType.BFloat16, DType.Float32)]
    [InlineData(DType.Float16, DType.BFloat16)]
    [InlineData(DType.BFloat16, DType.Float16)]
    [InlineData(DType.Float32, DType.Float32)]
    public void Cast_rounds_to_nearest_even(DType from, DType to)
    {
        GpuRequirement.Devices();
        using var gpu = new GpuSession();
        float[] values = [.. RandomValues(2, scale: 70000f).Select(v => Round(v, from)), 1e-8f, 65520f, float.NaN, float.PositiveInfinity];
        values = [.. values.Select(v => Round(v, from))];
        using NativeBuffer source = UploadAs(gpu, values, from);
        using NativeBuffer destination = gpu.Backend.Allocate(values.Length * to.SizeOf(), MemoryLocation.Device);

        gpu.Kernels.Cast(source.All, from, destination.All, to);

        Assert.Equal([.. values.Select(v => Round(v, to))], DownloadAs(gpu, destination, to));
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    public void Non_finite_values_are_flagged_wherever_they_are(DType type)
    {
        GpuRequirement.Devices();
        using var gpu = new GpuSession();
        float[] values = RandomValues(3);
        using NativeBuffer finite = UploadAs(gpu, values, type);
        Assert.False(gpu.Kernels.HasNonFinite(finite.All, type));

        foreach ((int index, float bad) in new[] { (0, float.NaN), (Count - 1, float.PositiveInfinity), (Count / 2, float.NegativeInfinity) })
        {
            float[] tainted = (float[])values.Clone();
            tainted[index] = bad;
            using NativeBuffer data = UploadAs(gpu, tainted, type);
            Assert.True(gpu.Kernels.HasNonFinite(data.All, type), $"{bad} at {index}");
        }

        Assert.False(gpu.Kernels.HasNonFinite(finite.Slice(0, 0), type));
    }

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    public void Sum_of_squares_matches_a_double_loop_and_repeats_bit_for_bit(DType type)
    {
        GpuRequirement.Devices();
        using var gpu = new GpuSession();
        float[] values = [.. RandomValues(4).Select(v => Round(v, type))];
        using NativeBuffer data = UploadAs(gpu, values, type);
        double expected = 0;
        foreach (float v in values)
        {
            expected += (double)v * v;
        }

        double first = gpu.Kernels.SumOfSquares(data.All, type);
        double second = gpu.Kernels.SumOfSquares(data.All, type);

        Assert.Equal(expected, first, expected * 1e-12);
        Assert.Equal(BitConverter.DoubleToInt64Bits(first), BitConverter.DoubleToInt64Bits(second));
        Assert.Equal(0.0, gpu.Kernels.SumOfSquares(data.Slice(0, 0), type));
    }

    // The kernel is built with -fmad=false and gets the host's float constants, so its steps are the host's bits.
    [Theory]
    [InlineData(false, 0.01f, DType.Float32)]
    [InlineData(true, 0.1f, DType.BFloat16)]
    public void Adam_gives_the_host_kernels_bits_over_three_steps(bool decoupled, float weightDecay, DType gradientType)
    {
        GpuRequirement.Devices();
        using var gpu = new GpuSession();
        const int n = 5000;
        float[] initial = RandomValues(6, n, 1f);
        using NativeBuffer master = gpu.Upload<float>(initial);
        using NativeBuffer expAvg = gpu.Upload<float>(new float[n]);
        using NativeBuffer expAvgSq = gpu.Upload<float>(new float[n]);
        using var hostMaster = TestHostBuffer.Of<float>(initial);
        using var hostM = TestHostBuffer.Zeroed(n * 4L);
        using var hostV = TestHostBuffer.Zeroed(n * 4L);
        var host = new Elixir.Kernels.Host.HostKernels();
        for (int step = 1; step <= 3; step++)
        {
            float[] gradient = [.. RandomValues(20 + step, n, 2f).Select(g => Round(g, gradientType))];
            var hyper = new AdamParameters(3e-3f, 0.9f, 0.999f, 1e-8f, weightDecay, decoupled, step, 0.25f);
            using NativeBuffer grad = UploadAs(gpu, gradient, gradientType);
            gpu.Kernels.Adam(master.All, expAvg.All, expAvgSq.All, grad.All, gradientType, master.All.Slice(0, 0), DType.Float32, hyper);
            using var hostGradient = HostKernelsConversionTests.Store(gradient, gradientType);
            host.Adam(hostMaster.All, hostM.All, hostV.All, hostGradient.All, gradientType, hostMaster.All.Slice(0, 0), DType.Float32, hyper);
        }

        Assert.Equal(Bits(hostMaster.ToArray<float>()), Bits(gpu.Download<float>(master)));
        Assert.Equal(Bits(hostM.ToArray<float>()), Bits(gpu.Download<float>(expAvg)));
        Assert.Equal(Bits(hostV.ToArray<float>()), Bits(gpu.Download<float>(expAvgSq)));
    }

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];

    [Theory]
    [InlineData(false, 0.0f, DType.Float32, DType.Float32)]
    [InlineData(false, 0.01f, DType.Float16, DType.Float16)]
    [InlineData(true, 0.1f, DType.BFloat16, DType.BFloat16)]
    [InlineData(true, 0.1f, DType.Float32, DType.Float16)]
    public void Adam_follows_the_textbook_update_over_three_steps(bool decoupled, float weightDecay, DType gradientType, DType parameterType)
    {
        GpuRequirement.Devices();
        using var gpu = new GpuSession();
        const int n = 5000;
        double[] p = [.. RandomValues(5, n, 1f).Select(v => (double)v)];
        double[] m = new double[n], v = new double[n];
        using NativeBuffer master = gpu.Upload<float>([.. p.Select(x => (float)x)]);
        using NativeBuffer expAvg = gpu.Upload<float>(new float[n]);
        using NativeBuffer expAvgSq = gpu.Upload<float>(new float[n]);
        using NativeBuffer parameter = gpu.Backend.Allocate(n * parameterType.SizeOf(), MemoryLocation.Device);
        for (int step = 1; step <= 3; step++)
        {
            float[] gradient = [.. RandomValues(10 + step, n, 2f).Select(g => Round(g, gradientType))];
            var hyper = new AdamParameters(1e-2f, 0.9f, 0.999f, 1e-8f, weightDecay, decoupled, step, 0.5f);
            using NativeBuffer grad = UploadAs(gpu, gradient, gradientType);
            gpu.Kernels.Adam(master.All, expAvg.All, expAvgSq.All, grad.All, gradientType, parameter.All, parameterType, hyper);
            for (int i = 0; i < n; i++)
            {
                double g = gradient[i] * 0.5;
                if (decoupled)
                {
                    p[i] *= 1 - 1e-2 * weightDecay;
                }
                else
                {
                    g += weightDecay * p[i];
                }

                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                double mHat = m[i] / (1 - Math.Pow(0.9, step));
                double vHat = v[i] / (1 - Math.Pow(0.999, step));
                p[i] -= 1e-2 * mHat / (Math.Sqrt(vHat) + 1e-8);
            }
        }

        float[] actual = gpu.Download<float>(master);
        float[] written = DownloadAs(gpu, parameter, parameterType);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(p[i], actual[i], 1e-5 + Math.Abs(p[i]) * 1e-5);
            Assert.Equal(Round(actual[i], parameterType), written[i]);
        }
    }

    [Theory]
    [InlineData(0.0f, 0.0f, false, 0.0f)]
    [InlineData(0.9f, 0.0f, false, 0.01f)]
    [InlineData(0.9f, 0.1f, false, 0.0f)]
    [InlineData(0.9f, 0.0f, true, 0.01f)]
    public void Sgd_follows_pytorch_momentum_dampening_and_nesterov(float momentum, float dampening, bool nesterov, float weightDecay)
    {
        GpuRequirement.Devices();
        using var gpu = new GpuSession();
        const int n = 3000;
        double[] p = [.. RandomValues(6, n, 1f).Select(v => (double)v)];
        double[] buffer = new double[n];
        using NativeBuffer master = gpu.Upload<float>([.. p.Select(x => (float)x)]);
        using NativeBuffer momentumBuffer = gpu.Upload<float>(new float[n]);
        for (int step = 1; step <= 3; step++)
        {
            float[] gradient = RandomValues(20 + step, n, 2f);
            var hyper = new SgdParameters(0.05f, momentum, dampening, weightDecay, nesterov, step == 1, 2f);
            using NativeBuffer grad = gpu.Upload<float>(gradient);
            gpu.Kernels.Sgd(master.All, momentumBuffer.All, grad.All, DType.Float32, default, DType.Float32, hyper);
            for (int i = 0; i < n; i++)
            {
                double g = gradient[i] * 2.0 + weightDecay * p[i];
                if (momentum != 0)
                {
                    buffer[i] = step == 1 ? g : momentum * buffer[i] + (1 - dampening) * g;
                    g = nesterov ? g + momentum * buffer[i] : buffer[i];
                }

                p[i] -= 0.05 * g;
            }
        }

        float[] actual = gpu.Download<float>(master);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(p[i], actual[i], 1e-5 + Math.Abs(p[i]) * 1e-5);
        }
    }

    [Fact]
    public void Slices_of_different_lengths_are_refused_naming_the_slice()
    {
        GpuRequirement.Devices();
        using var gpu = new GpuSession();
        using NativeBuffer fp32 = gpu.Backend.Allocate(40, MemoryLocation.Device);
        using NativeBuffer fp16 = gpu.Backend.Allocate(18, MemoryLocation.Device);

        ArgumentException e = Assert.Throws<ArgumentException>(() => gpu.Kernels.Cast(fp32.All, DType.Float32, fp16.All, DType.Float16));

        Assert.Equal("destination holds 9 Float16 elements; the call works on 10. (Parameter 'destination')", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => gpu.Kernels.Adam(
            fp32.All, fp32.All, fp32.All, fp32.All, DType.Float32, default, DType.Float32,
            new AdamParameters(1, 0.9f, 0.99f, 1e-8f, 0, false, 0, 1)));
    }
}
