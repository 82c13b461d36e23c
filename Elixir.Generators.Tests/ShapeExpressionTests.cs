using Elixir.Generators.Specs;

namespace Elixir.Generators.Tests;

public sealed class ShapeExpressionTests
{
    [Theory]
    [InlineData("768", 768)]
    [InlineData("2 + 3 * 4", 14)]
    [InlineData("(2 + 3) * 4", 20)]
    [InlineData("8 - 2 - 1", 5)]
    [InlineData("24 / 4 / 2", 3)]
    [InlineData(" 4*(3 + 1) / 2 ", 8)]
    public void ConstantExpressions_FollowPrecedenceAndLeftAssociativity(string text, long expected)
    {
        ShapeNode? node = ShapeExpressionParser.TryParse(text, out string error);

        Assert.Equal(string.Empty, error);
        Assert.Equal(expected, ConstantFolder.Fold(Assert.IsAssignableFrom<ShapeNode>(node)).Value);
    }

    [Fact]
    public void NamedDimensions_ParseToTreesInOrder()
    {
        ShapeNode? node = ShapeExpressionParser.TryParse("4*C + n_head", out _);

        Assert.Equal(
            new BinaryNode('+', new BinaryNode('*', new LiteralNode(4), new NamedNode("C")), new NamedNode("n_head")),
            node);
        Assert.Equal(["C", "n_head"], NamedDimensions.Of(node!));
        Assert.Null(ConstantFolder.Fold(node!).Value);
    }

    [Theory]
    [InlineData("", "unexpected end of expression")]
    [InlineData("C C", "unexpected 'C' at position 2")]
    [InlineData("99999999999999999999", "literal 99999999999999999999 does not fit a 64-bit integer")]
    [InlineData("-4", "unexpected '-' at position 0")]
    public void Malformed_ReportsTheProblem(string text, string expected)
    {
        Assert.Null(ShapeExpressionParser.TryParse(text, out string error));
        Assert.Equal(expected, error);
    }
}
