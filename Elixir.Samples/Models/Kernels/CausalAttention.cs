using System.Numerics.Tensors;

namespace Elixir.Samples.Models.Kernels;

/// <summary>
/// Multi-head causal self-attention over a (B, T, 3C) query/key/value tensor; saves the (B, H, T, T) softmax
/// weights for backward (entries above the diagonal stay zero).
/// </summary>
internal static class CausalAttention
{
    public static void Forward(
        Span<float> output, Span<float> weights, ReadOnlySpan<float> qkv, int batch, int tokens, int channels, int heads)
    {
        int headSize = channels / heads;
        int rowStride = 3 * channels;
        float scale = 1f / MathF.Sqrt(headSize);
        for (int b = 0; b < batch; b++)
        {
            for (int h = 0; h < heads; h++)
            {
                for (int t = 0; t < tokens; t++)
                {
                    var query = qkv.Slice((b * tokens + t) * rowStride + h * headSize, headSize);
                    var att = weights.Slice(((b * heads + h) * tokens + t) * tokens, tokens);
                    float max = float.NegativeInfinity;
                    for (int t2 = 0; t2 <= t; t2++)
                    {
                        var key = qkv.Slice((b * tokens + t2) * rowStride + channels + h * headSize, headSize);
                        float score = TensorPrimitives.Dot(query, key) * scale;
                        att[t2] = score;
                        max = MathF.Max(max, score);
                    }

                    var visible = att[..(t + 1)];
                    TensorPrimitives.Subtract(visible, max, visible);
                    TensorPrimitives.Exp(visible, visible);
                    TensorPrimitives.Divide(visible, TensorPrimitives.Sum(visible), visible);
                    att[(t + 1)..].Clear();

                    var y = output.Slice((b * tokens + t) * channels + h * headSize, headSize);
                    y.Clear();
                    for (int t2 = 0; t2 <= t; t2++)
                    {
                        var value = qkv.Slice((b * tokens + t2) * rowStride + 2 * channels + h * headSize, headSize);
                        TensorPrimitives.MultiplyAdd(value, att[t2], y, y);
                    }
                }
            }
        }
    }

    /// <summary>Overwrites <paramref name="qkvGrad"/>; <paramref name="scratch"/> holds at least T floats.</summary>
    public static void Backward(
        Span<float> qkvGrad, Span<float> scratch, ReadOnlySpan<float> outputGrad, ReadOnlySpan<float> qkv,
        ReadOnlySpan<float> weights, int batch, int tokens, int channels, int heads)
    {
        int headSize = channels / heads;
        int rowStride = 3 * channels;
        float scale = 1f / MathF.Sqrt(headSize);
        qkvGrad[..(batch * tokens * rowStride)].Clear();
        var scoreGrad = scratch[..tokens];
        for (int b = 0; b < batch; b++)
        {
            for (int h = 0; h < heads; h++)
            {
                for (int t = 0; t < tokens; t++)
                {
                    int queryOffset = (b * tokens + t) * rowStride + h * headSize;
                    var query = qkv.Slice(queryOffset, headSize);
                    var queryGrad = qkvGrad.Slice(queryOffset, headSize);
                    var att = weights.Slice(((b * heads + h) * tokens + t) * tokens, t + 1);
                    var dy = outputGrad.Slice((b * tokens + t) * channels + h * headSize, headSize);

                    var attGrad = scoreGrad[..(t + 1)];
                    for (int t2 = 0; t2 <= t; t2++)
                    {
                        int valueOffset = (b * tokens + t2) * rowStride + 2 * channels + h * headSize;
                        attGrad[t2] = TensorPrimitives.Dot(dy, qkv.Slice(valueOffset, headSize));
                        var valueGrad = qkvGrad.Slice(valueOffset, headSize);
                        TensorPrimitives.MultiplyAdd(dy, att[t2], valueGrad, valueGrad);
                    }

                    // Softmax backward: dscore = att ⊙ (datt − Σ att·datt).
                    float weighted = TensorPrimitives.Dot(att, attGrad);
                    for (int t2 = 0; t2 <= t; t2++)
                    {
                        float dscore = att[t2] * (attGrad[t2] - weighted) * scale;
                        int keyOffset = (b * tokens + t2) * rowStride + channels + h * headSize;
                        TensorPrimitives.MultiplyAdd(qkv.Slice(keyOffset, headSize), dscore, queryGrad, queryGrad);
                        var keyGrad = qkvGrad.Slice(keyOffset, headSize);
                        TensorPrimitives.MultiplyAdd(query, dscore, keyGrad, keyGrad);
                    }
                }
            }
        }
    }
}
