namespace Elixir.Generators.Tests.Behaviour;

/// <summary>Exercises division, subtraction and products of named dimensions.</summary>
[Elixir.Layout.ChunkLayout]
internal partial struct ArithmeticLayout
{
    [Elixir.Layout.Tensor("C / 3")] public partial Span<float> Third { get; }

    [Elixir.Layout.Tensor("C * C", "C - 4")] public partial Span<float> Square { get; }
}
