using System.Numerics.Tensors;

namespace Elixir.Samples.Models.Kernels;

/// <summary>Softmax over each row of logits and the mean negative log-likelihood of the targets.</summary>
internal static class SoftmaxCrossEntropy
{
    /// <summary>Turns <paramref name="logits"/> into probabilities in place and returns the mean loss.</summary>
    public static float Forward(Span<float> logits, ReadOnlySpan<int> targets, int rows, int classes)
    {
        double total = 0;
        for (int n = 0; n < rows; n++)
        {
            var row = logits.Slice(n * classes, classes);
            float max = TensorPrimitives.Max(row);
            TensorPrimitives.Subtract(row, max, row);
            TensorPrimitives.Exp(row, row);
            TensorPrimitives.Divide(row, TensorPrimitives.Sum(row), row);
            total -= Math.Log(row[targets[n]]);
        }

        return (float)(total / rows);
    }

    /// <summary>Writes the gradient of the mean loss with respect to the logits: (p − onehot) / rows.</summary>
    public static void Backward(Span<float> logitsGrad, ReadOnlySpan<float> probabilities, ReadOnlySpan<int> targets, int rows, int classes)
    {
        float inverseRows = 1f / rows;
        TensorPrimitives.Multiply(probabilities[..(rows * classes)], inverseRows, logitsGrad);
        for (int n = 0; n < rows; n++)
        {
            logitsGrad[n * classes + targets[n]] -= inverseRows;
        }
    }
}
