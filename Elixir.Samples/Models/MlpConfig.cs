using Elixir.Layout;

namespace Elixir.Samples.Models;

/// <summary>The sizes of the two-layer perceptron <c>Inputs → Hidden (ReLU) → Outputs</c>.</summary>
/// <param name="Inputs">Features per sample.</param>
/// <param name="Hidden">Width of the hidden layer.</param>
/// <param name="Outputs">Values predicted per sample.</param>
public readonly record struct MlpConfig(int Inputs, int Hidden, int Outputs)
{
    /// <summary>The sample MLP's default sizes: 16 → 64 → 4.</summary>
    public static MlpConfig Default { get; } = new(16, 64, 4);

    /// <summary>Parameters in the model.</summary>
    public long ParameterCount => (long)(Inputs + 1) * Hidden + (long)(Hidden + 1) * Outputs;

    /// <summary>The values of the named dimensions <see cref="Layouts.MlpLayout"/> uses: <c>In</c>, <c>Hidden</c>, <c>Out</c>.</summary>
    public LayoutDimensions LayoutDimensions() => new(("In", Inputs), ("Hidden", Hidden), ("Out", Outputs));

    /// <summary>Throws when a size is not positive.</summary>
    public void Validate()
    {
        if (Inputs <= 0 || Hidden <= 0 || Outputs <= 0)
        {
            throw new ArgumentException($"MLP config {Inputs}→{Hidden}→{Outputs}: every size must be positive.");
        }
    }
}
