using System.Numerics.Tensors;

namespace Elixir.Samples.Models.Kernels;

/// <summary>
/// A fully connected layer over rows with the weight stored (in, out) as GPT-2's Conv1D modules store it:
/// <c>out[n, :] = bias + Σ_i in[n, i] · weight[i, :]</c>, so every step is a contiguous multiply-add over a
/// weight row.
/// </summary>
internal static class Linear
{
    public static void Forward(
        Span<float> output, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        int rows, int inChannels, int outChannels)
    {
        for (int n = 0; n < rows; n++)
        {
            var x = input.Slice(n * inChannels, inChannels);
            var y = output.Slice(n * outChannels, outChannels);
            bias.CopyTo(y);
            for (int i = 0; i < inChannels; i++)
            {
                TensorPrimitives.MultiplyAdd(weight.Slice(i * outChannels, outChannels), x[i], y, y);
            }
        }
    }

    /// <summary>
    /// Overwrites the input gradient, then the weight and bias gradients (after the last read of the weight,
    /// so the gradients may alias the parameters).
    /// </summary>
    public static void Backward(
        Span<float> inputGrad, Span<float> weightGrad, Span<float> biasGrad, ReadOnlySpan<float> outputGrad,
        ReadOnlySpan<float> input, ReadOnlySpan<float> weight, int rows, int inChannels, int outChannels)
    {
        for (int n = 0; n < rows; n++)
        {
            var dy = outputGrad.Slice(n * outChannels, outChannels);
            var dx = inputGrad.Slice(n * inChannels, inChannels);
            for (int i = 0; i < inChannels; i++)
            {
                dx[i] = TensorPrimitives.Dot(dy, weight.Slice(i * outChannels, outChannels));
            }
        }

        for (int i = 0; i < inChannels; i++)
        {
            var dw = weightGrad.Slice(i * outChannels, outChannels);
            dw.Clear();
            for (int n = 0; n < rows; n++)
            {
                TensorPrimitives.MultiplyAdd(outputGrad.Slice(n * outChannels, outChannels), input[n * inChannels + i], dw, dw);
            }
        }

        biasGrad.Clear();
        for (int n = 0; n < rows; n++)
        {
            TensorPrimitives.Add(biasGrad, outputGrad.Slice(n * outChannels, outChannels), biasGrad);
        }
    }
}
