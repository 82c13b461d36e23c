namespace Elixir.Samples.Models;

/// <summary>
/// Initialises the MLP: weights from N(0, 1/in) (each tensor from its own seeded stream), biases zero.
/// </summary>
public static class MlpInitializer
{
    /// <summary>Initialises all four tensors.</summary>
    public static void Initialize(in MlpTensors parameters, in MlpConfig config, ulong seed)
    {
        parameters.Validate(config);
        Gpt2Initializer.FillNormal(parameters.Fc1Weight, 1.0 / Math.Sqrt(config.Inputs), seed, 0, 0);
        parameters.Fc1Bias.Clear();
        Gpt2Initializer.FillNormal(parameters.Fc2Weight, 1.0 / Math.Sqrt(config.Hidden), seed, 0, 2);
        parameters.Fc2Bias.Clear();
    }
}
