using Elixir.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Elixir.Generators.Tests;

public sealed class IncrementalTests
{
    private const string LayoutSource = """
        namespace Demo;

        [ChunkLayout]
        public partial struct Cached
        {
            [Tensor("C", "4")] public partial Span<float> W { get; }
        }
        """;

    [Fact]
    public void AddingUnrelatedType_DoesNotRegenerateSource()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun(LayoutSource);

        CSharpCompilation edited = compilation.AddSyntaxTrees(GeneratorHarness.Parse("public class Unrelated { }", "Unrelated.cs"));
        GeneratorRunResult run = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        // The attribute lookup may re-run the transform on a new compilation; its equal spec then reads Unchanged.
        AssertReasons(run, StepNames.Parse, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        AssertReasons(run, StepNames.Layouts, IncrementalStepRunReason.Cached);
        Assert.All(run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void EditingLayoutFileWithoutChangingSpec_ReparsesButDoesNotReEmit()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun(LayoutSource);

        CSharpCompilation edited = Replace(compilation, LayoutSource, "// A comment that changes nothing.\n" + LayoutSource);
        GeneratorRunResult run = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        AssertReasons(run, StepNames.Parse, IncrementalStepRunReason.Unchanged);
        AssertReasons(run, StepNames.Layouts, IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void ChangingAShape_RegeneratesSource()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun(LayoutSource);

        CSharpCompilation edited = Replace(compilation, LayoutSource, LayoutSource.Replace("\"4\"", "\"8\"", StringComparison.Ordinal));
        GeneratorRunResult run = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        AssertReasons(run, StepNames.Parse, IncrementalStepRunReason.Modified);
        AssertReasons(run, StepNames.Layouts, IncrementalStepRunReason.Modified);
        Assert.Contains("\"8\"", run.GeneratedSources.Single().SourceText.ToString(), StringComparison.Ordinal);
    }

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun(string source)
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(source);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);
        GeneratorRunResult first = driver.GetRunResult().Results.Single();
        AssertReasons(first, StepNames.Parse, IncrementalStepRunReason.New);
        AssertReasons(first, StepNames.Layouts, IncrementalStepRunReason.New);
        return (driver, compilation);
    }

    private static CSharpCompilation Replace(CSharpCompilation compilation, string oldSource, string newSource)
    {
        SyntaxTree old = compilation.SyntaxTrees.Single(t => t.ToString() == oldSource);
        return compilation.ReplaceSyntaxTree(old, GeneratorHarness.Parse(newSource, old.FilePath));
    }

    private static void AssertReasons(GeneratorRunResult run, string step, params IncrementalStepRunReason[] allowed)
    {
        IncrementalGeneratorRunStep[] steps = run.TrackedSteps[step].ToArray();
        Assert.NotEmpty(steps);
        Assert.All(steps.SelectMany(s => s.Outputs), output => Assert.Contains(output.Reason, allowed));
    }
}
