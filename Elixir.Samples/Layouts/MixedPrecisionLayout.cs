using Elixir.Layout;
using Elixir.Numerics;

namespace Elixir.Samples.Layouts;

/// <summary>
/// A small constant-shape layout using every supported element type, so offsets exercise natural alignment
/// (a 2-byte tensor followed by a 4-byte one).
/// </summary>
[ChunkLayout]
public partial struct MixedPrecisionLayout
{
    /// <summary>Three half-precision values.</summary>
    [Tensor("3")] public partial Span<Half> Scales { get; }

    /// <summary>A 2×3 single-precision matrix.</summary>
    [Tensor("2", "3")] public partial Span<float> Weight { get; }

    /// <summary>Five brain-float values.</summary>
    [Tensor("5")] public partial Span<BFloat16> Bias { get; }
}
