using Elixir.Engine;
using Elixir.Layout;
using Elixir.Samples.Layouts;
using Elixir.Samples.Models;

namespace Elixir.Runtime.Tests.Engine;

public sealed class ModelDefinitionTests
{
    private static readonly MlpConfig Config = MlpConfig.Default;

    [Fact]
    public void Add_ReturnsTheInstanceWithItsOwnModuleOverAllItsTensors()
    {
        var model = new ModelDefinition();
        var mlp = model.Add<MlpLayout>("mlp", Config.LayoutDimensions());

        Assert.Same(model.Modules.Single(), mlp.Module);
        Assert.Equal("mlp", mlp.Module.Name);
        Assert.Equal(["mlp.Fc1Weight", "mlp.Fc1Bias", "mlp.Fc2Weight", "mlp.Fc2Bias"], mlp.Module.Tensors.Select(t => t.FullName));
    }

    [Fact]
    public void AnInstanceAddedWithoutAModule_SaysWhereItsModuleIs()
    {
        var model = new ModelDefinition();
        var mlp = model.Add<MlpLayout>("mlp", Config.LayoutDimensions(), addModule: false);

        var error = Assert.Throws<InvalidOperationException>(() => mlp.Module);
        Assert.Contains("'mlp' was added with addModule: false", error.Message, StringComparison.Ordinal);
        Assert.Empty(model.Modules);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void AMisspeltDimension_IsAnErrorNamingTheDimensionsTheLayoutsUse(int worldSize)
    {
        var model = new ModelDefinition();
        model.Add<MlpLayout>("mlp", new LayoutDimensions(("In", Config.Inputs), ("Hidden", Config.Hidden), ("Out", Config.Outputs), ("hidden", 7)));

        var error = Assert.IsType<ArgumentException>(EngineMisuseTests.Build(model, worldSize));
        Assert.Equal(
            "Dimension 'hidden' given to layout instance 'mlp' (MlpLayout) is used by no layout of the model; the layouts use: Hidden, In, Out.",
            error.Message);
        Assert.False(model.IsFrozen);
    }

    [Fact]
    public void ADimensionSetSharedByLayouts_NeedsEachNameUsedByOneOfThem()
    {
        var shared = new LayoutDimensions(("In", Config.Inputs), ("Hidden", Config.Hidden), ("Out", Config.Outputs), ("C", 8));
        var model = new ModelDefinition();
        model.Add<MlpLayout>("mlp", shared);
        model.Add<Gpt2FinalNorm>("norm", shared);

        Assert.Null(EngineMisuseTests.Build(model, 1));
    }
}
