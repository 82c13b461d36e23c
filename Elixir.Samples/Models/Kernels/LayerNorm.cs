using System.Numerics.Tensors;

namespace Elixir.Samples.Models.Kernels;

/// <summary>LayerNorm over the last dimension with GPT-2's epsilon; saves each row's mean and 1/σ for backward.</summary>
internal static class LayerNorm
{
    private const float Epsilon = 1e-5f;

    public static void Forward(
        Span<float> output, Span<float> mean, Span<float> rstd, ReadOnlySpan<float> input,
        ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int rows, int channels)
    {
        for (int n = 0; n < rows; n++)
        {
            var x = input.Slice(n * channels, channels);
            var y = output.Slice(n * channels, channels);
            float m = TensorPrimitives.Sum(x) / channels;
            TensorPrimitives.Subtract(x, m, y);
            float variance = TensorPrimitives.SumOfSquares(y) / channels;
            float s = 1f / MathF.Sqrt(variance + Epsilon);
            TensorPrimitives.Multiply(y, s, y);
            TensorPrimitives.FusedMultiplyAdd(y, weight, bias, y);
            mean[n] = m;
            rstd[n] = s;
        }
    }

    /// <summary>
    /// Adds the input gradient to <paramref name="inputGrad"/>; overwrites the weight and bias gradients. All
    /// reads of <paramref name="weight"/> happen before the first gradient write, so the weight and bias
    /// gradients may alias the weight and bias themselves.
    /// </summary>
    public static void Backward(
        Span<float> inputGrad, Span<float> weightGrad, Span<float> biasGrad, Span<float> scratch,
        ReadOnlySpan<float> outputGrad, ReadOnlySpan<float> input, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, int rows, int channels)
    {
        var norm = scratch[..channels];
        var dnorm = scratch.Slice(channels, channels);
        for (int n = 0; n < rows; n++)
        {
            var dy = outputGrad.Slice(n * channels, channels);
            var dx = inputGrad.Slice(n * channels, channels);
            float s = rstd[n];
            Normalize(norm, input.Slice(n * channels, channels), mean[n], s);
            TensorPrimitives.Multiply(dy, weight, dnorm);
            float dnormMean = TensorPrimitives.Sum(dnorm) / channels;
            float dnormNormMean = TensorPrimitives.Dot(dnorm, norm) / channels;
            for (int i = 0; i < channels; i++)
            {
                dx[i] += (dnorm[i] - dnormMean - norm[i] * dnormNormMean) * s;
            }
        }

        weightGrad.Clear();
        biasGrad.Clear();
        for (int n = 0; n < rows; n++)
        {
            var dy = outputGrad.Slice(n * channels, channels);
            Normalize(norm, input.Slice(n * channels, channels), mean[n], rstd[n]);
            TensorPrimitives.Add(biasGrad, dy, biasGrad);
            TensorPrimitives.FusedMultiplyAdd(norm, dy, weightGrad, weightGrad);
        }
    }

    private static void Normalize(Span<float> norm, ReadOnlySpan<float> x, float mean, float rstd)
    {
        TensorPrimitives.Subtract(x, mean, norm);
        TensorPrimitives.Multiply(norm, rstd, norm);
    }
}
