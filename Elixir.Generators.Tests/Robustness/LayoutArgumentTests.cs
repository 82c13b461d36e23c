using Elixir.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Elixir.Generators.Tests.Robustness;

/// <summary>Mistakes in <c>[ChunkLayout]</c>'s own arguments and in tensor names, reported at compile time.</summary>
public sealed class LayoutArgumentTests
{
    [Theory]
    [InlineData("ChunkCapacity = -10", "ChunkCapacity = -10", "Layout 'L' has an invalid ChunkCapacity: -10 is negative; use 0 for no limit or a positive number of elements")]
    [InlineData("Dimensions = new string[0]", "Dimensions = new string[0]", "Layout 'L' has an invalid Dimensions: the list is empty; list the names the shapes use, or leave Dimensions unset to allow any name")]
    [InlineData("Dimensions = new[] { \"C\", \"C\" }", "Dimensions = new[] { \"C\", \"C\" }", "Layout 'L' has an invalid Dimensions: 'C' is listed more than once")]
    [InlineData("Dimensions = new[] { \"C\", \"\" }", "Dimensions = new[] { \"C\", \"\" }", "Layout 'L' has an invalid Dimensions: entry 1 '' is not a dimension name (a letter or '_', then letters, digits or '_')")]
    [InlineData("Dimensions = new[] { \"4\" }", "Dimensions = new[] { \"4\" }", "Layout 'L' has an invalid Dimensions: entry 0 '4' is not a dimension name (a letter or '_', then letters, digits or '_')")]
    [InlineData("Dimensions = new string[] { null }", "Dimensions = new string[] { null }", "Layout 'L' has an invalid Dimensions: entry 0 is null")]
    public void InvalidLayoutArguments_AreReportedAtTheArgument(string arguments, string located, string message)
    {
        string source = $"[ChunkLayout({arguments})]\npublic partial struct L\n{{\n    [Tensor(\"4\")] public partial Span<float> W {{ get; }}\n}}";
        GeneratorOutcome outcome = GeneratorHarness.Run(source);

        Diagnostic diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Equal("ELX0010", diagnostic.Id);
        Assert.Equal(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(located, source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Empty(outcome.CompilationErrors);
    }

    [Fact]
    public void ReservedTensorName_MessageListsEveryReservedName()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            "[ChunkLayout] public partial struct L { [Tensor(\"4\")] public partial Span<float> Table { get; } }");

        Assert.Equal(
            "Tensor name 'Table' collides with a member the layout generator emits; reserved names are "
            + "AllCompute, AllFree, AllHold, AllHoldAfterBackward, AllReadyForReduce, Bind, Binding, Count, "
            + "CreateStateCounter, CreateTable, Device, DeviceViews, DimensionNames, Equals, Finalize, GetHashCode, "
            + "GetType, Item, LayoutName, MemberwiseClone, NameOf, ReferenceEquals, StateCounter, Table, TensorCount, "
            + "ToString, Transition, _binding",
            Assert.Single(outcome.Diagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("_binding")]
    [InlineData("AllCompute")]
    [InlineData("AllFree")]
    [InlineData("AllHold")]
    [InlineData("AllHoldAfterBackward")]
    [InlineData("AllReadyForReduce")]
    [InlineData("Bind")]
    [InlineData("Binding")]
    [InlineData("Count")]
    [InlineData("CreateStateCounter")]
    [InlineData("CreateTable")]
    [InlineData("Device")]
    [InlineData("DeviceViews")]
    [InlineData("DimensionNames")]
    [InlineData("Equals")]
    [InlineData("Finalize")]
    [InlineData("GetHashCode")]
    [InlineData("GetType")]
    [InlineData("Item")]
    [InlineData("LayoutName")]
    [InlineData("MemberwiseClone")]
    [InlineData("NameOf")]
    [InlineData("ReferenceEquals")]
    [InlineData("StateCounter")]
    [InlineData("Table")]
    [InlineData("TensorCount")]
    [InlineData("ToString")]
    [InlineData("Transition")]
    public void EveryReservedTensorName_IsReported_AndLeavesNoErrorInGeneratedCode(string name)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            $"[ChunkLayout] public partial struct L {{ [Tensor(\"4\")] public partial Span<float> {name} {{ get; }} }}");

        Assert.Equal("ELX0007", Assert.Single(outcome.Diagnostics, d => d.Id.StartsWith("ELX", StringComparison.Ordinal)).Id);
        Assert.Empty(outcome.GeneratedCodeProblems);
    }
}
