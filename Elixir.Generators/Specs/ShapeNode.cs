namespace Elixir.Generators.Specs;

/// <summary>A parsed dimension expression; records compare by value, so specs holding them cache.</summary>
internal abstract record ShapeNode;

/// <summary>An integer literal.</summary>
internal sealed record LiteralNode(long Value) : ShapeNode;

/// <summary>A named dimension whose value is given at run time.</summary>
internal sealed record NamedNode(string Name) : ShapeNode;

/// <summary>A binary operation; <see cref="Operator"/> is one of <c>+ - * /</c>.</summary>
internal sealed record BinaryNode(char Operator, ShapeNode Left, ShapeNode Right) : ShapeNode;
