using Elixir.Layout;
using Elixir.Numerics;

namespace Elixir.Tests.Chunks;

/// <summary>Four tensors of 5, 7, 3 and 9 fp32 elements: they straddle shard boundaries of a 32-element chunk.</summary>
[ChunkLayout]
public partial struct BlockF32
{
    [Tensor("5")] public partial Span<float> T0 { get; }
    [Tensor("7")] public partial Span<float> T1 { get; }
    [Tensor("3")] public partial Span<float> T2 { get; }
    [Tensor("9")] public partial Span<float> T3 { get; }
}

/// <summary><see cref="BlockF32"/> in fp16.</summary>
[ChunkLayout]
public partial struct BlockF16
{
    [Tensor("5")] public partial Span<Half> T0 { get; }
    [Tensor("7")] public partial Span<Half> T1 { get; }
    [Tensor("3")] public partial Span<Half> T2 { get; }
    [Tensor("9")] public partial Span<Half> T3 { get; }
}

/// <summary><see cref="BlockF32"/> in bf16.</summary>
[ChunkLayout]
public partial struct BlockBF16
{
    [Tensor("5")] public partial Span<BFloat16> T0 { get; }
    [Tensor("7")] public partial Span<BFloat16> T1 { get; }
    [Tensor("3")] public partial Span<BFloat16> T2 { get; }
    [Tensor("9")] public partial Span<BFloat16> T3 { get; }
}

/// <summary>Five fp32 tensors spread over two 16-element chunks and one fused 8-element chunk.</summary>
[ChunkLayout]
public partial struct GroupLayout
{
    [Tensor("6")] public partial Span<float> T0 { get; }
    [Tensor("6")] public partial Span<float> T1 { get; }
    [Tensor("10")] public partial Span<float> T2 { get; }
    [Tensor("4")] public partial Span<float> T3 { get; }
    [Tensor("8", MultiUse = true)] public partial Span<float> T4 { get; }
}

/// <summary>Two tensors (10 and 7 elements) that do not both fit a 16-element chunk.</summary>
[ChunkLayout]
public partial struct TooBigLayout
{
    [Tensor("10")] public partial Span<float> T0 { get; }
    [Tensor("7")] public partial Span<float> T1 { get; }
}

/// <summary>One fp16 tensor, for element-type mismatches.</summary>
[ChunkLayout]
public partial struct HalfLayout
{
    [Tensor("2")] public partial Span<Half> T0 { get; }
}

/// <summary>A layout instance's table, binding and generated state counter.</summary>
internal sealed class LayoutInstance<TLayout> where TLayout : struct, IChunkLayout<TLayout>
{
    public LayoutTable Table { get; } = TLayout.CreateTable(LayoutDimensions.None);

    public LayoutBinding Binding => View.Binding;

    public TLayout View { get; }

    public ITensorStateCounter Counter { get; } = TLayout.CreateStateCounter();

    public LayoutInstance(BindingLocation location = BindingLocation.Host) => View = TLayout.Bind(new LayoutBinding(Table, location));
}
