namespace Elixir.Samples.Models;

/// <summary>
/// The sizes of a multi-layer perceptron: <c>Inputs → Hidden (→ Hidden)… → Outputs</c>, GELU after every
/// layer but the last.
/// </summary>
/// <param name="Inputs">Features per sample.</param>
/// <param name="Hidden">Width of every hidden layer.</param>
/// <param name="Outputs">Values predicted per sample.</param>
/// <param name="Layers">Number of linear layers (at least 2).</param>
public readonly record struct MlpConfig(int Inputs, int Hidden, int Outputs, int Layers)
{
    /// <summary>The sample MLP's default sizes: 16 → 64 → 64 → 4.</summary>
    public static MlpConfig Default { get; } = new(16, 64, 4, 3);

    /// <summary>Input width of linear layer <paramref name="layer"/>.</summary>
    public int InputWidth(int layer) => layer == 0 ? Inputs : Hidden;

    /// <summary>Output width of linear layer <paramref name="layer"/>.</summary>
    public int OutputWidth(int layer) => layer == Layers - 1 ? Outputs : Hidden;

    /// <summary>Parameters (weight and bias) of linear layer <paramref name="layer"/>.</summary>
    public long LayerParameterCount(int layer) => (long)(InputWidth(layer) + 1) * OutputWidth(layer);

    /// <summary>Throws when a size is not positive or there are fewer than two layers.</summary>
    public void Validate()
    {
        if (Inputs <= 0 || Hidden <= 0 || Outputs <= 0 || Layers < 2)
        {
            throw new ArgumentException(
                $"MLP config {Inputs}→{Hidden}→{Outputs} with {Layers} layers: sizes must be positive and there must be at least 2 layers.");
        }
    }
}
