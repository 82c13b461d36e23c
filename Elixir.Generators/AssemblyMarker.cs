namespace Elixir.Generators
{
    /// <summary>Lets tests find the generator assembly.</summary>
    public static class AssemblyMarker
    {
    }
}
