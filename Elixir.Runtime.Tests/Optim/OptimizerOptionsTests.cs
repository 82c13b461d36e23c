using System.Collections.Immutable;
using Elixir.Layout;
using Elixir.Numerics;
using Elixir.Optim;

namespace Elixir.Runtime.Tests.Optim;

public sealed class OptimizerOptionsTests
{
    private static TensorSlot Slot(string name, params long[] shape) =>
        new(name, DType.Float32, [.. shape], shape.Aggregate(1L, (a, b) => a * b), 0, false);

    [Fact]
    public void NoDecayGroup_TakesBiasesAndNorms()
    {
        var options = new AdamOptions(
            new AdamHyperParameters(WeightDecay: 0.1), decoupled: true,
            new ParameterGroup<AdamHyperParameters>("no_decay", TensorSelectors.OneDimensional, new AdamHyperParameters(WeightDecay: 0f)));

        Assert.Equal(1, options.GroupOf("Blocks.0.Ln1Weight", Slot("Ln1Weight", 64)));
        Assert.Equal(1, options.GroupOf("Blocks.0.QkvBias", Slot("QkvBias", 192)));
        Assert.Equal(0, options.GroupOf("Blocks.0.QkvWeight", Slot("QkvWeight", 192, 64)));
        Assert.Equal(0, options.KernelParameters(1, step: 3, gradientScale: 0.5f).WeightDecay);
        Assert.Equal(
            new Elixir.Kernels.AdamParameters(1e-3, 0.9, 0.999, 1e-8, 0.1, true, 3, 0.5f),
            options.KernelParameters(0, step: 3, gradientScale: 0.5f));
    }

    [Fact]
    public void FirstMatchingGroupWins()
    {
        var options = new SgdOptions(
            new SgdHyperParameters(0.1f),
            new ParameterGroup<SgdHyperParameters>("embeddings", TensorSelectors.NameEndsWith("Embedding"), new SgdHyperParameters(0.01f)),
            new ParameterGroup<SgdHyperParameters>("vectors", TensorSelectors.OneDimensional, new SgdHyperParameters(0.2f, Momentum: 0.9f)));

        Assert.Equal(1, options.GroupOf("TokenEmbedding", Slot("TokenEmbedding", 10)));
        Assert.Equal(2, options.GroupOf("Bias", Slot("Bias", 10)));
        Assert.True(options.NeedsMomentumBuffer);
        Assert.Equal(new Elixir.Kernels.SgdParameters(0.2f, 0.9f, 0f, 0f, false, true, 1f), options.KernelParameters(2, true, 1f));
    }

    [Fact]
    public void BadHyperParameters_ThrowNamingTheGroup()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AdamOptions(
            new AdamHyperParameters(), false,
            new ParameterGroup<AdamHyperParameters>("head", TensorSelectors.OneDimensional, new AdamHyperParameters(Beta2: 1f))));

        Assert.Contains("head", error.Message);
        Assert.Equal("Beta2", error.ParamName);
        Assert.Throws<ArgumentException>(() => new SgdOptions(new SgdHyperParameters(Nesterov: true)));
        Assert.Throws<ArgumentException>(() => new SgdOptions(
            new SgdHyperParameters(),
            new ParameterGroup<SgdHyperParameters>("default", TensorSelectors.OneDimensional, new SgdHyperParameters())));
    }
}
