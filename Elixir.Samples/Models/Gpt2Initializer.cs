using Elixir.Samples.Data;
using Elixir.Samples.Layouts;

namespace Elixir.Samples.Models;

/// <summary>
/// GPT-2's initialisation: weights from N(0, 0.02²), the two residual projections scaled by 1/√(2L), biases
/// zero, LayerNorm scales one. Each tensor draws from its own stream seeded by (seed, layer, tensor), so the
/// values do not depend on the order in which layers are initialised or on how they are chunked.
/// </summary>
public static class Gpt2Initializer
{
    private const double Std = 0.02;
    private const ulong EmbeddingStream = ulong.MaxValue;

    /// <summary>Initialises the token and position embeddings.</summary>
    public static void InitializeEmbeddings(in Gpt2EmbeddingTensors parameters, in Gpt2Config config, ulong seed)
    {
        parameters.Validate(config);
        FillNormal(parameters.Wte, Std, seed, EmbeddingStream, 0);
        FillNormal(parameters.Wpe, Std, seed, EmbeddingStream, 1);
    }

    /// <summary>Initialises block <paramref name="layer"/>.</summary>
    public static void InitializeBlock(int layer, in Gpt2BlockTensors parameters, in Gpt2Config config, ulong seed)
    {
        parameters.Validate(config);
        double projectionStd = Std / Math.Sqrt(2.0 * config.Layers);
        ulong stream = (ulong)layer;
        parameters.Ln1Weight.Fill(1f);
        parameters.Ln1Bias.Clear();
        FillNormal(parameters.AttnQkvWeight, Std, seed, stream, 2);
        parameters.AttnQkvBias.Clear();
        FillNormal(parameters.AttnProjWeight, projectionStd, seed, stream, 4);
        parameters.AttnProjBias.Clear();
        parameters.Ln2Weight.Fill(1f);
        parameters.Ln2Bias.Clear();
        FillNormal(parameters.MlpFcWeight, Std, seed, stream, 8);
        parameters.MlpFcBias.Clear();
        FillNormal(parameters.MlpProjWeight, projectionStd, seed, stream, 10);
        parameters.MlpProjBias.Clear();
    }

    /// <summary>Initialises the final LayerNorm.</summary>
    public static void InitializeFinalNorm(in Gpt2FinalNormTensors parameters, in Gpt2Config config)
    {
        parameters.Validate(config);
        parameters.LnFWeight.Fill(1f);
        parameters.LnFBias.Clear();
    }

    /// <summary>Initialises a generated embeddings view.</summary>
    public static void InitializeEmbeddings(in Gpt2Embeddings parameters, in Gpt2Config config, ulong seed) =>
        InitializeEmbeddings(Gpt2EmbeddingTensors.From(parameters), config, seed);

    /// <summary>Initialises a generated block view as block <paramref name="layer"/>.</summary>
    public static void InitializeBlock(int layer, in Gpt2Block parameters, in Gpt2Config config, ulong seed) =>
        InitializeBlock(layer, Gpt2BlockTensors.From(parameters), config, seed);

    /// <summary>Initialises a generated final-norm view.</summary>
    public static void InitializeFinalNorm(in Gpt2FinalNorm parameters, in Gpt2Config config) =>
        InitializeFinalNorm(Gpt2FinalNormTensors.From(parameters), config);

    internal static void FillNormal(Span<float> values, double std, ulong seed, ulong stream, ulong tensor)
    {
        var random = new SplitMix64(SplitMix64.Combine(seed, stream, tensor));
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(std * random.NextNormal());
        }
    }
}
