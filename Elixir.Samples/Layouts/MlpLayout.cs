using Elixir.Layout;

namespace Elixir.Samples.Layouts;

/// <summary>
/// A two-layer perceptron: <c>hidden = relu(x · W1 + b1)</c>, <c>y = hidden · W2 + b2</c>, with input width
/// <c>In</c>, hidden width <c>Hidden</c> and output width <c>Out</c>.
/// </summary>
[ChunkLayout(Dimensions = new[] { "In", "Hidden", "Out" })]
public partial struct MlpLayout
{
    /// <summary>First layer weights, <c>[In, Hidden]</c>.</summary>
    [Tensor("In", "Hidden")] public partial Span<float> Fc1Weight { get; }

    /// <summary>First layer bias.</summary>
    [Tensor("Hidden")] public partial Span<float> Fc1Bias { get; }

    /// <summary>Second layer weights, <c>[Hidden, Out]</c>.</summary>
    [Tensor("Hidden", "Out")] public partial Span<float> Fc2Weight { get; }

    /// <summary>Second layer bias.</summary>
    [Tensor("Out")] public partial Span<float> Fc2Bias { get; }
}
