namespace Elixir.Samples.Models.Kernels;

/// <summary>GPT-2's GELU, the tanh approximation.</summary>
internal static class Gelu
{
    private const float Sqrt2OverPi = 0.7978845608028654f;
    private const float Cube = 0.044715f;

    public static void Forward(Span<float> output, ReadOnlySpan<float> input)
    {
        for (int i = 0; i < input.Length; i++)
        {
            float x = input[i];
            output[i] = 0.5f * x * (1f + MathF.Tanh(Sqrt2OverPi * (x + Cube * x * x * x)));
        }
    }

    /// <summary>Overwrites <paramref name="inputGrad"/> (which may alias <paramref name="outputGrad"/>).</summary>
    public static void Backward(Span<float> inputGrad, ReadOnlySpan<float> outputGrad, ReadOnlySpan<float> input)
    {
        for (int i = 0; i < input.Length; i++)
        {
            float x = input[i];
            float tanh = MathF.Tanh(Sqrt2OverPi * (x + Cube * x * x * x));
            float sech2 = 1f - tanh * tanh;
            float local = 0.5f * (1f + tanh) + 0.5f * x * sech2 * Sqrt2OverPi * (1f + 3f * Cube * x * x);
            inputGrad[i] = local * outputGrad[i];
        }
    }
}
