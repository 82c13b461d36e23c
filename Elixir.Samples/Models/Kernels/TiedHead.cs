using System.Numerics.Tensors;

namespace Elixir.Samples.Models.Kernels;

/// <summary>
/// The language-model head tied to the token embedding: <c>logits[n, v] = Σ_c x[n, c] · wte[v, c]</c>, with
/// the embedding stored (V, C) so each logit is one contiguous dot product.
/// </summary>
internal static class TiedHead
{
    public static void Forward(Span<float> logits, ReadOnlySpan<float> input, ReadOnlySpan<float> embedding, int rows, int channels, int vocabulary)
    {
        for (int n = 0; n < rows; n++)
        {
            var x = input.Slice(n * channels, channels);
            var y = logits.Slice(n * vocabulary, vocabulary);
            for (int v = 0; v < vocabulary; v++)
            {
                y[v] = TensorPrimitives.Dot(x, embedding.Slice(v * channels, channels));
            }
        }
    }

    /// <summary>
    /// Overwrites the input gradient, then the embedding gradient (after the last read of the embedding, so
    /// the gradient may alias it).
    /// </summary>
    public static void Backward(
        Span<float> inputGrad, Span<float> embeddingGrad, ReadOnlySpan<float> logitsGrad, ReadOnlySpan<float> input,
        ReadOnlySpan<float> embedding, int rows, int channels, int vocabulary)
    {
        inputGrad[..(rows * channels)].Clear();
        for (int n = 0; n < rows; n++)
        {
            var dx = inputGrad.Slice(n * channels, channels);
            var dy = logitsGrad.Slice(n * vocabulary, vocabulary);
            for (int v = 0; v < vocabulary; v++)
            {
                TensorPrimitives.MultiplyAdd(embedding.Slice(v * channels, channels), dy[v], dx, dx);
            }
        }

        for (int v = 0; v < vocabulary; v++)
        {
            var dw = embeddingGrad.Slice(v * channels, channels);
            dw.Clear();
            for (int n = 0; n < rows; n++)
            {
                TensorPrimitives.MultiplyAdd(input.Slice(n * channels, channels), logitsGrad[n * vocabulary + v], dw, dw);
            }
        }
    }
}
