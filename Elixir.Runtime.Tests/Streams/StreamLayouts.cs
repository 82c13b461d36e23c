using Elixir.Layout;

namespace Elixir.Runtime.Tests.Streams;

/// <summary>One fp32 tensor filling a 16-element chunk.</summary>
[ChunkLayout]
public partial struct StreamLayer
{
    [Tensor("16")] public partial Span<float> Weight { get; }
}

/// <summary>The fp16 copy of <see cref="StreamLayer"/>, for a chunk paired with an fp32 master chunk.</summary>
[ChunkLayout]
public partial struct StreamLayerHalf
{
    [Tensor("16")] public partial Span<Half> Weight { get; }
}
