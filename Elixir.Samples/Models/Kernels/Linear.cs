using System.Numerics;
using System.Numerics.Tensors;

namespace Elixir.Samples.Models.Kernels;

/// <summary>
/// A fully connected layer over rows with the weight stored (in, out) as GPT-2's Conv1D modules store it:
/// <c>out[n, :] = bias + Σ_i in[n, i] · weight[i, :]</c>.
/// </summary>
/// <remarks>
/// The forward pass and the weight gradient are register-blocked over four rows: each vector of a weight
/// (or output-gradient) row is loaded once and used four times, which is what keeps these two products, the
/// bulk of a step's arithmetic, from being bound by loads.
/// </remarks>
internal static class Linear
{
    private const int Block = 4;

    public static void Forward(
        Span<float> output, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        int rows, int inChannels, int outChannels)
    {
        int n = 0;
        for (; n + Block <= rows; n += Block)
        {
            var x0 = input.Slice(n * inChannels, inChannels);
            var x1 = input.Slice((n + 1) * inChannels, inChannels);
            var x2 = input.Slice((n + 2) * inChannels, inChannels);
            var x3 = input.Slice((n + 3) * inChannels, inChannels);
            int j = 0;
            for (; j + Vector<float>.Count <= outChannels; j += Vector<float>.Count)
            {
                var a0 = new Vector<float>(bias[j..]);
                var a1 = a0;
                var a2 = a0;
                var a3 = a0;
                for (int i = 0; i < inChannels; i++)
                {
                    var w = new Vector<float>(weight.Slice(i * outChannels + j, Vector<float>.Count));
                    a0 += x0[i] * w;
                    a1 += x1[i] * w;
                    a2 += x2[i] * w;
                    a3 += x3[i] * w;
                }

                a0.CopyTo(output.Slice(n * outChannels + j));
                a1.CopyTo(output.Slice((n + 1) * outChannels + j));
                a2.CopyTo(output.Slice((n + 2) * outChannels + j));
                a3.CopyTo(output.Slice((n + 3) * outChannels + j));
            }

            for (int r = n; r < n + Block; r++)
            {
                ForwardColumns(output, input, weight, bias, r, j, inChannels, outChannels);
            }
        }

        for (; n < rows; n++)
        {
            ForwardColumns(output, input, weight, bias, n, 0, inChannels, outChannels);
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

        WeightBackward(weightGrad, outputGrad, input, rows, inChannels, outChannels);
        biasGrad.Clear();
        for (int n = 0; n < rows; n++)
        {
            TensorPrimitives.Add(biasGrad, outputGrad.Slice(n * outChannels, outChannels), biasGrad);
        }
    }

    /// <summary><c>weightGrad[i, :] = Σ_n input[n, i] · outputGrad[n, :]</c>, blocked over four input channels.</summary>
    private static void WeightBackward(
        Span<float> weightGrad, ReadOnlySpan<float> outputGrad, ReadOnlySpan<float> input, int rows, int inChannels, int outChannels)
    {
        int i = 0;
        for (; i + Block <= inChannels; i += Block)
        {
            int j = 0;
            for (; j + Vector<float>.Count <= outChannels; j += Vector<float>.Count)
            {
                var a0 = Vector<float>.Zero;
                var a1 = Vector<float>.Zero;
                var a2 = Vector<float>.Zero;
                var a3 = Vector<float>.Zero;
                for (int n = 0; n < rows; n++)
                {
                    var dy = new Vector<float>(outputGrad.Slice(n * outChannels + j, Vector<float>.Count));
                    var x = input.Slice(n * inChannels + i, Block);
                    a0 += x[0] * dy;
                    a1 += x[1] * dy;
                    a2 += x[2] * dy;
                    a3 += x[3] * dy;
                }

                a0.CopyTo(weightGrad.Slice(i * outChannels + j));
                a1.CopyTo(weightGrad.Slice((i + 1) * outChannels + j));
                a2.CopyTo(weightGrad.Slice((i + 2) * outChannels + j));
                a3.CopyTo(weightGrad.Slice((i + 3) * outChannels + j));
            }

            for (int k = i; k < i + Block; k++)
            {
                WeightBackwardColumns(weightGrad, outputGrad, input, k, j, rows, inChannels, outChannels);
            }
        }

        for (; i < inChannels; i++)
        {
            WeightBackwardColumns(weightGrad, outputGrad, input, i, 0, rows, inChannels, outChannels);
        }
    }

    private static void ForwardColumns(
        Span<float> output, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        int row, int firstColumn, int inChannels, int outChannels)
    {
        for (int j = firstColumn; j < outChannels; j++)
        {
            float sum = bias[j];
            for (int i = 0; i < inChannels; i++)
            {
                sum += input[row * inChannels + i] * weight[i * outChannels + j];
            }

            output[row * outChannels + j] = sum;
        }
    }

    private static void WeightBackwardColumns(
        Span<float> weightGrad, ReadOnlySpan<float> outputGrad, ReadOnlySpan<float> input,
        int inChannel, int firstColumn, int rows, int inChannels, int outChannels)
    {
        for (int j = firstColumn; j < outChannels; j++)
        {
            float sum = 0;
            for (int n = 0; n < rows; n++)
            {
                sum += input[n * inChannels + inChannel] * outputGrad[n * outChannels + j];
            }

            weightGrad[inChannel * outChannels + j] = sum;
        }
    }
}
