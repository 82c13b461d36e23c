using Elixir.Cuda;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Numerics;
using Elixir.Runtime.Tests.Cuda;

namespace Elixir.Runtime.Tests.Cublas;

[Trait("Category", GpuRequirement.Category)]
public sealed class CublasContextGpuTests
{
    private static float[] Values(int seed, int count)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1))];
    }

    private static void RequireCublas()
    {
        GpuRequirement.Devices();
        Assert.SkipUnless(CublasContext.IsAvailable, CublasContext.Describe());
    }

    private static DevicePointer<T> Pointer<T>(NativeBuffer buffer) where T : unmanaged =>
        new((ulong)buffer.Address, buffer.ByteLength / System.Runtime.CompilerServices.Unsafe.SizeOf<T>());

    // Y (N, OC) = X (N, C) · Wᵀ, all row-major, against a plain triple loop in double; fp32 accumulation over C=96
    // terms of magnitude ≤ 1 stays within 1e-5 relative of the sum of magnitudes.
    [Fact]
    public void A_row_major_linear_layer_in_fp32_matches_a_plain_loop()
    {
        RequireCublas();
        const int n = 37, c = 96, oc = 53;
        float[] x = Values(1, n * c), w = Values(2, oc * c);
        using var gpu = new GpuSession();
        using var cublas = new CublasContext(gpu.Backend, gpu.Backend.DefaultStream);
        using NativeBuffer dx = gpu.Upload<float>(x), dw = gpu.Upload<float>(w), dy = gpu.Upload<float>(new float[n * oc]);

        cublas.Gemm(GemmOperation.Transpose, GemmOperation.None, oc, n, c, 1f, Pointer<float>(dw), c, Pointer<float>(dx), c, 0f, Pointer<float>(dy), oc);
        float[] y = gpu.Download<float>(dy);

        for (int row = 0; row < n; row++)
        {
            for (int o = 0; o < oc; o++)
            {
                double sum = 0, magnitude = 0;
                for (int i = 0; i < c; i++)
                {
                    sum += (double)x[row * c + i] * w[o * c + i];
                    magnitude += Math.Abs((double)x[row * c + i] * w[o * c + i]);
                }

                Assert.True(Math.Abs(y[row * oc + o] - sum) <= 1e-5 * magnitude + 1e-7, $"y[{row},{o}] = {y[row * oc + o]}, expected {sum}.");
            }
        }
    }

    // Per-head scores S_h (T, T) = Q_h (T, D) · K_hᵀ for 3 heads laid out one after another, in bf16 with fp32
    // output: inputs are rounded to bf16 first, so only the fp32 accumulation differs from the double loop.
    [Fact]
    public void A_strided_batch_of_bf16_products_with_fp32_output_matches_a_plain_loop()
    {
        RequireCublas();
        const int heads = 3, t = 17, d = 32;
        float[] q = [.. Values(3, heads * t * d).Select(ReferenceRounding.RoundToBFloat16)];
        float[] k = [.. Values(4, heads * t * d).Select(ReferenceRounding.RoundToBFloat16)];
        using var gpu = new GpuSession();
        using var cublas = new CublasContext(gpu.Backend, gpu.Backend.DefaultStream);
        using NativeBuffer dq = gpu.Upload<ushort>([.. q.Select(ReferenceRounding.ToBFloat16Bits)]);
        using NativeBuffer dk = gpu.Upload<ushort>([.. k.Select(ReferenceRounding.ToBFloat16Bits)]);
        using NativeBuffer ds = gpu.Upload<float>(new float[heads * t * t]);

        cublas.GemmStridedBatched(GemmOperation.Transpose, GemmOperation.None, t, t, d,
            1f, Pointer<BFloat16>(dk), d, t * d, Pointer<BFloat16>(dq), d, t * d, 0f, Pointer<float>(ds), t, t * t, heads);
        float[] s = gpu.Download<float>(ds);

        for (int h = 0; h < heads; h++)
        {
            for (int i = 0; i < t; i++)
            {
                for (int j = 0; j < t; j++)
                {
                    double sum = 0;
                    for (int e = 0; e < d; e++)
                    {
                        sum += (double)q[(h * t + i) * d + e] * k[(h * t + j) * d + e];
                    }

                    Assert.True(Math.Abs(s[(h * t + i) * t + j] - sum) <= 1e-4, $"S[{h},{i},{j}] = {s[(h * t + i) * t + j]}, expected {sum}.");
                }
            }
        }
    }
}
