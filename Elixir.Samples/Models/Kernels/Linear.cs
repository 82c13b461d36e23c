using System.Numerics.Tensors;

namespace Elixir.Samples.Models.Kernels;

/// <summary>
/// A fully connected layer over rows: <c>out[n, o] = bias[o] + Σ_i in[n, i] · weight[o, i]</c>, weight (OC, IC)
/// row-major, so every output is one contiguous dot product.
/// </summary>
internal static class Linear
{
    public static void Forward(Span<float> output, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int rows, int inChannels, int outChannels)
    {
        for (int n = 0; n < rows; n++)
        {
            var x = input.Slice(n * inChannels, inChannels);
            var y = output.Slice(n * outChannels, outChannels);
            for (int o = 0; o < outChannels; o++)
            {
                y[o] = bias[o] + TensorPrimitives.Dot(x, weight.Slice(o * inChannels, inChannels));
            }
        }
    }

    /// <summary>Overwrites the input gradient and the weight and bias gradients.</summary>
    public static void Backward(
        Span<float> inputGrad, Span<float> weightGrad, Span<float> biasGrad, ReadOnlySpan<float> outputGrad,
        ReadOnlySpan<float> input, ReadOnlySpan<float> weight, int rows, int inChannels, int outChannels)
    {
        inputGrad[..(rows * inChannels)].Clear();
        for (int n = 0; n < rows; n++)
        {
            var dx = inputGrad.Slice(n * inChannels, inChannels);
            var dy = outputGrad.Slice(n * outChannels, outChannels);
            for (int o = 0; o < outChannels; o++)
            {
                TensorPrimitives.MultiplyAdd(weight.Slice(o * inChannels, inChannels), dy[o], dx, dx);
            }
        }

        WeightBackward(weightGrad, biasGrad, outputGrad, input, rows, inChannels, outChannels);
    }

    /// <summary>Overwrites the weight and bias gradients (biasGrad may be empty for a bias-free layer).</summary>
    public static void WeightBackward(
        Span<float> weightGrad, Span<float> biasGrad, ReadOnlySpan<float> outputGrad, ReadOnlySpan<float> input,
        int rows, int inChannels, int outChannels)
    {
        for (int o = 0; o < outChannels; o++)
        {
            var dw = weightGrad.Slice(o * inChannels, inChannels);
            dw.Clear();
            float db = 0;
            for (int n = 0; n < rows; n++)
            {
                float d = outputGrad[n * outChannels + o];
                db += d;
                if (d != 0)
                {
                    TensorPrimitives.MultiplyAdd(input.Slice(n * inChannels, inChannels), d, dw, dw);
                }
            }

            if (!biasGrad.IsEmpty)
            {
                biasGrad[o] = db;
            }
        }
    }
}
