namespace Elixir.Samples.Models;

/// <summary>Checks that a parameter or gradient view has the element count the model expects.</summary>
internal static class TensorShape
{
    public static void Require(int actual, long expected, string layout, string tensor)
    {
        if (actual != expected)
        {
            throw new ArgumentException(
                $"Tensor '{tensor}' of '{layout}' has {actual} elements; the model expects {expected}.");
        }
    }
}
