using System.Collections.Immutable;
using Elixir.Layout;
using Elixir.Numerics;
using Elixir.Samples.Layouts;

namespace Elixir.Generators.Tests.Behaviour;

public sealed class LayoutTableTests
{
    // GPT-2 block with C = 8, float32, packed: element counts 8, 8, 8*24, 24, 8*8, 8, 8, 8, 8*32, 32, 32*8, 8.
    private static readonly long[] Gpt2BlockCounts = [8, 8, 192, 24, 64, 8, 8, 8, 256, 32, 256, 8];
    private static readonly long[] Gpt2BlockPackedOffsets = [0, 32, 64, 832, 928, 1184, 1216, 1248, 1280, 2304, 2432, 3456];
    private static readonly long[] Gpt2BlockOffsetsAligned256 = [0, 256, 512, 1280, 1536, 1792, 2048, 2304, 2560, 3584, 3840, 4864];

    [Fact]
    public void Gpt2Block_NamedDimension_GivesHandComputedPackedTable()
    {
        LayoutTable table = Gpt2Block.CreateTable(new LayoutDimensions(("C", 8)));

        Assert.Equal("Gpt2Block", table.LayoutName);
        Assert.Equal(Gpt2BlockCounts, table.Slots.ToArray().Select(s => s.ElementCount));
        Assert.Equal(Gpt2BlockPackedOffsets, table.Slots.ToArray().Select(s => s.ByteOffset));
        Assert.Equal(3488, table.TotalBytes);
        Assert.Equal((12 * 8 * 8) + (13 * 8), table.TotalElements);
        Assert.Equal([8L, 24L], table[2].Shape);
        Assert.Equal("AttnQkvWeight", table[2].Name);
        Assert.All(table.Slots.ToArray(), s => Assert.Equal(DType.Float32, s.DType));
    }

    [Fact]
    public void Gpt2Block_Alignment_RoundsEveryOffsetUp()
    {
        LayoutTable table = Gpt2Block.CreateTable(new LayoutDimensions(("C", 8)), alignmentBytes: 256);

        Assert.Equal(Gpt2BlockOffsetsAligned256, table.Slots.ToArray().Select(s => s.ByteOffset));
        Assert.Equal(4864 + 32, table.TotalBytes);
    }

    [Fact]
    public void MixedPrecision_ConstantTable_UsesNaturalAlignmentPerElementType()
    {
        // Scales: 3 halves at 0..6; Weight: 6 floats rounded up to 8..32; Bias: 5 bfloat16 at 32..42.
        LayoutTable table = MixedPrecisionLayout.Table;

        Assert.Equal([0L, 8L, 32L], table.Slots.ToArray().Select(s => s.ByteOffset));
        Assert.Equal([3L, 6L, 5L], table.Slots.ToArray().Select(s => s.ElementCount));
        Assert.Equal([DType.Float16, DType.Float32, DType.BFloat16], table.Slots.ToArray().Select(s => s.DType));
        Assert.Equal(42, table.TotalBytes);
        Assert.Same(table, MixedPrecisionLayout.Table);
        Assert.Equal(table.Slots.ToArray(), MixedPrecisionLayout.CreateTable(LayoutDimensions.None).Slots.ToArray(), SlotComparer.Instance);
    }

    [Fact]
    public void MixedPrecision_Alignment16_PadsBetweenTensors()
    {
        LayoutTable table = MixedPrecisionLayout.CreateTable(LayoutDimensions.None, alignmentBytes: 16);

        Assert.Equal([0L, 16L, 48L], table.Slots.ToArray().Select(s => s.ByteOffset));
        Assert.Equal(58, table.TotalBytes);
    }

    [Fact]
    public void StaticMembers_DescribeTheLayout()
    {
        Assert.Equal("Gpt2Embeddings", Gpt2Embeddings.LayoutName);
        Assert.Equal(2, Gpt2Embeddings.TensorCount);
        Assert.Equal(["C", "P", "V"], Gpt2Embeddings.DimensionNames);
        Assert.Empty(MixedPrecisionLayout.DimensionNames);
        Assert.Equal(["Hidden", "In", "Out"], MlpLayout.DimensionNames);
        Assert.Equal(12, Gpt2Block.TensorCount);
        Assert.Equal(["C"], Gpt2FinalNorm.DimensionNames);
    }

    [Fact]
    public void TiedEmbedding_IsMultiUse()
    {
        LayoutTable table = Gpt2Embeddings.CreateTable(new LayoutDimensions(("V", 10), ("P", 4), ("C", 2)));

        Assert.True(table[0].MultiUse);
        Assert.False(table[1].MultiUse);
        Assert.Equal([10L, 2L], table[0].Shape);
        Assert.Equal([4L, 2L], table[1].Shape);
        Assert.Equal(80, table[1].ByteOffset);
    }

    [Fact]
    public void Arithmetic_DivisionAndSubtraction_Evaluate()
    {
        LayoutTable table = ArithmeticLayout.CreateTable(new LayoutDimensions(("C", 6)));

        Assert.Equal([2L], table[0].Shape);
        Assert.Equal([36L, 2L], table[1].Shape);
        Assert.Equal(8, table[1].ByteOffset);
    }

    [Fact]
    public void MissingDimension_ThrowsNamingLayoutAndDimension()
    {
        var error = Assert.Throws<ArgumentException>(() => Gpt2Embeddings.CreateTable(new LayoutDimensions(("C", 2), ("V", 3))));

        Assert.Contains("Gpt2Embeddings", error.Message, StringComparison.Ordinal);
        Assert.Contains("'P'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void NonPositiveDimension_ThrowsNamingLayoutDimensionAndValue(long value)
    {
        var error = Assert.Throws<ArgumentException>(() => Gpt2Block.CreateTable(new LayoutDimensions(("C", value))));

        Assert.Contains("Gpt2Block", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'C' is {value}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InexactDivision_ThrowsNamingTensorExpressionAndValues()
    {
        var error = Assert.Throws<ArgumentException>(() => ArithmeticLayout.CreateTable(new LayoutDimensions(("C", 8))));

        Assert.Equal("Layout 'ArithmeticLayout', tensor 'Third', dimension 'C / 3': 8 / 3 is not an exact division.", error.Message);
    }

    [Fact]
    public void NegativeResult_ThrowsNamingTensorAndValue()
    {
        var error = Assert.Throws<ArgumentException>(() => ArithmeticLayout.CreateTable(new LayoutDimensions(("C", 3))));

        Assert.Equal("Layout 'ArithmeticLayout', tensor 'Square', dimension 'C - 4': evaluates to -1; dimensions must be positive.", error.Message);
    }

    [Fact]
    public void DimensionOverflow_ThrowsNamingTensorAndOperands()
    {
        const long c = 3L << 32;
        var error = Assert.Throws<ArgumentException>(() => ArithmeticLayout.CreateTable(new LayoutDimensions(("C", c))));

        Assert.Equal($"Layout 'ArithmeticLayout', tensor 'Square', dimension 'C * C': {c} * {c} overflows a 64-bit integer.", error.Message);
    }

    [Fact]
    public void ElementCountOverflow_ThrowsNamingTensorAndShape()
    {
        const long c = 1L << 31;
        var error = Assert.Throws<ArgumentException>(() => Gpt2Block.CreateTable(new LayoutDimensions(("C", c))));

        Assert.Contains("Layout 'Gpt2Block', tensor 'AttnQkvWeight'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"[{c}, {3 * c}]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    [InlineData(24)]
    public void BadAlignment_Throws(int alignment)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => MixedPrecisionLayout.CreateTable(LayoutDimensions.None, alignment));

        Assert.Contains("MixedPrecisionLayout", error.Message, StringComparison.Ordinal);
    }

    private sealed class SlotComparer : IEqualityComparer<TensorSlot>
    {
        public static readonly SlotComparer Instance = new();

        public bool Equals(TensorSlot x, TensorSlot y) =>
            x.Name == y.Name && x.DType == y.DType && x.Shape.SequenceEqual(y.Shape) &&
            x.ElementCount == y.ElementCount && x.ByteOffset == y.ByteOffset && x.MultiUse == y.MultiUse;

        public int GetHashCode(TensorSlot obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
