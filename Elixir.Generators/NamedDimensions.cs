using System.Collections.Generic;
using Elixir.Generators.Specs;

namespace Elixir.Generators;

/// <summary>The named dimensions an expression uses, in the order they appear.</summary>
internal static class NamedDimensions
{
    public static IEnumerable<string> Of(ShapeNode node)
    {
        switch (node)
        {
            case NamedNode named:
                yield return named.Name;
                break;
            case BinaryNode binary:
                foreach (string name in Of(binary.Left))
                {
                    yield return name;
                }

                foreach (string name in Of(binary.Right))
                {
                    yield return name;
                }

                break;
        }
    }
}
