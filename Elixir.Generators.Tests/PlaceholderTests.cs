namespace Elixir.Generators.Tests;

public sealed class GeneratorAssemblyTests
{
    [Fact]
    public void GeneratorAssembly_TargetsNetStandard20()
    {
        var attribute = typeof(Elixir.Generators.ChunkLayoutGenerator).Assembly
            .GetCustomAttributes(typeof(System.Runtime.Versioning.TargetFrameworkAttribute), false)
            .Cast<System.Runtime.Versioning.TargetFrameworkAttribute>().Single();
        Assert.Equal(".NETStandard,Version=v2.0", attribute.FrameworkName);
    }
}
