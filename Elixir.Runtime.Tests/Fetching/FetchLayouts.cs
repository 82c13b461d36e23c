using Elixir.Layout;

namespace Elixir.Runtime.Tests.Fetching;

/// <summary>A layer of 12 + 8 fp32 elements: in 32-element chunks, every other layer straddles two chunks.</summary>
[ChunkLayout]
public partial struct NarrowLayer
{
    [Tensor("12")] public partial Span<float> Weight { get; }
    [Tensor("8")] public partial Span<float> Bias { get; }
}

/// <summary>A layer that fills a 32-element chunk.</summary>
[ChunkLayout]
public partial struct WideLayer
{
    [Tensor("32")] public partial Span<float> Weight { get; }
}

/// <summary>An 8-element embedding tied between the first and the last layer, alone in a fused chunk.</summary>
[ChunkLayout]
public partial struct TiedEmbedding
{
    [Tensor("8", MultiUse = true)] public partial Span<float> Weights { get; }
}
