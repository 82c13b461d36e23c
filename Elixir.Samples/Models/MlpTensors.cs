using Elixir.Samples.Layouts;

namespace Elixir.Samples.Models;

/// <summary>
/// Views of the MLP's four tensors (parameters or gradients), named and ordered as in <see cref="MlpLayout"/>;
/// weights are stored (in, out).
/// </summary>
public readonly ref struct MlpTensors
{
    /// <summary>Wraps the four views.</summary>
    public MlpTensors(Span<float> fc1Weight, Span<float> fc1Bias, Span<float> fc2Weight, Span<float> fc2Bias)
    {
        Fc1Weight = fc1Weight;
        Fc1Bias = fc1Bias;
        Fc2Weight = fc2Weight;
        Fc2Bias = fc2Bias;
    }

    /// <summary>(In, Hidden) first layer weight.</summary>
    public Span<float> Fc1Weight { get; }

    /// <summary>(Hidden) first layer bias.</summary>
    public Span<float> Fc1Bias { get; }

    /// <summary>(Hidden, Out) second layer weight.</summary>
    public Span<float> Fc2Weight { get; }

    /// <summary>(Out) second layer bias.</summary>
    public Span<float> Fc2Bias { get; }

    /// <summary>Reads the views of a generated layout instance (bound to host memory).</summary>
    public static MlpTensors From(in MlpLayout layout) => new(layout.Fc1Weight, layout.Fc1Bias, layout.Fc2Weight, layout.Fc2Bias);

    internal void Validate(in MlpConfig config)
    {
        TensorShape.Require(Fc1Weight.Length, (long)config.Inputs * config.Hidden, nameof(MlpLayout), nameof(Fc1Weight));
        TensorShape.Require(Fc1Bias.Length, config.Hidden, nameof(MlpLayout), nameof(Fc1Bias));
        TensorShape.Require(Fc2Weight.Length, (long)config.Hidden * config.Outputs, nameof(MlpLayout), nameof(Fc2Weight));
        TensorShape.Require(Fc2Bias.Length, config.Outputs, nameof(MlpLayout), nameof(Fc2Bias));
    }
}
