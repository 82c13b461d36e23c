using Elixir.Collectives.Host;
using Elixir.Engine;
using Elixir.Kernels.Host;
using Elixir.Memory.Host;
using Elixir.Planning;
using Elixir.Samples.Layouts;
using Elixir.Samples.Models;
using Elixir.Samples.Training;

namespace Elixir.Runtime.Tests.Engine;

public sealed class EngineMisuseTests
{
    private static readonly MlpConfig Config = MlpConfig.Default;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void OutOfOrderCalls_ThrowNamingTheModuleOrTensor_AndTheEngineStillTrains(int worldSize)
    {
        var steps = EngineRanks.Run(worldSize, () => new MlpTraining(Config, 16 / worldSize, 3).Definition, MlpEngineTests.Options("sgd"), MlpEngineTests.TwoChunks,
            (engine, model) =>
            {
                var module = model.Modules[0];
                var layer = (LayoutInstance<MlpLayout>)model.Instances[0];

                var error = Assert.Throws<EngineUsageException>(() => engine.Backward(module));
                Assert.Contains("Backward of module 'mlp' without a forward pass", error.Message, StringComparison.Ordinal);

                Assert.Throws<EngineUsageException>(() => engine.Step());

                using (engine.Forward(module))
                {
                    error = Assert.Throws<EngineUsageException>(() => engine.Forward(module));
                    Assert.Contains("forward scope of module 'mlp' is still open", error.Message, StringComparison.Ordinal);
                    var unbound = Assert.Throws<InvalidOperationException>(() => layer.Gradients.Fc1Weight[0] = 1f);
                    Assert.Contains("'Fc1Weight'", unbound.Message, StringComparison.Ordinal);
                    Assert.Contains("the gradients of 'mlp'", unbound.Message, StringComparison.Ordinal);
                }

                error = Assert.Throws<EngineUsageException>(() => engine.Forward(module));
                Assert.Contains("Module 'mlp' already ran forward in this pass", error.Message, StringComparison.Ordinal);
                Assert.Contains("'mlp.Fc1Weight'", error.Message, StringComparison.Ordinal);

                error = Assert.Throws<EngineUsageException>(() => engine.Step());
                Assert.Contains("0 of 2 chunks are reduced", error.Message, StringComparison.Ordinal);
                Assert.Contains("mlp.Fc1Weight", error.Message, StringComparison.Ordinal);

                var scope = engine.Backward(module);
                layer.Gradients.Fc2Bias.Fill(0.5f);
                scope.Dispose();
                Assert.Throws<EngineUsageException>(() => scope.Dispose());
                // The last gradient completed the pass: a second backward has no forward run to go back through.
                error = Assert.Throws<EngineUsageException>(() => engine.Backward(module));
                Assert.Contains("without a forward pass", error.Message, StringComparison.Ordinal);

                // Everything above left the engine consistent: the pass completed and the step applies.
                var result = engine.Step();
                Assert.False(result.Skipped);
                error = Assert.Throws<EngineUsageException>(() => engine.Step());
                Assert.Contains("Step after 0 passes", error.Message, StringComparison.Ordinal);
                return result.Step;
            });
        Assert.All(steps, s => Assert.Equal(1, s));
    }

    [Fact]
    public void ATensorSharedByTwoModules_MustBeDeclaredMultiUse()
    {
        var model = new ModelDefinition();
        var mlp = model.Add<MlpLayout>("mlp", Config.LayoutDimensions());
        model.AddModule("head", [mlp.Tensor(nameof(MlpLayout.Fc2Weight))]);
        var error = Assert.IsType<ArgumentException>(Build(model, 1));
        Assert.Contains("Tensor 'mlp.Fc2Weight' is used by modules 'mlp', 'head' but is not declared multi-use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadDefinitionsAndPlans_AreRejectedWithTheirNumbers()
    {
        var model = new ModelDefinition();
        var mlp = model.Add<MlpLayout>("mlp", Config.LayoutDimensions());
        Assert.Contains("already has a layout instance or module named 'mlp'",
            Assert.Throws<ArgumentException>(() => model.Add<MlpLayout>("mlp", Config.LayoutDimensions())).Message, StringComparison.Ordinal);
        Assert.Contains("has no tensor 'Nope'", Assert.Throws<ArgumentException>(() => mlp.Tensor("Nope")).Message, StringComparison.Ordinal);

        var plan = Planner.Create(model.PlanParameters(), new PlannerOptions { WorldSize = 2 });
        var error = Assert.IsType<ArgumentException>(Build(model, 1, plan));
        Assert.Contains("The plan is for 2 ranks but the communicator has 1", error.Message, StringComparison.Ordinal);
        Assert.False(model.IsFrozen);
        Assert.Null(Build(model, 1));
        Assert.True(model.IsFrozen);

        var options = new EngineOptions();
        Assert.Contains("exactly one optimizer", Assert.Throws<ArgumentException>(() => options.Validate()).Message, StringComparison.Ordinal);
        options = MlpEngineTests.Options("sgd") with { AccumulationSteps = 0 };
        Assert.Contains("accumulation steps 0", Assert.Throws<ArgumentException>(() => options.Validate()).Message, StringComparison.Ordinal);
    }

    internal static Exception? Build(ModelDefinition model, int worldSize, Plan? plan = null) =>
        LocalCluster.Run(worldSize, communicator =>
        {
            using var backend = new HostMemoryBackend();
            var error = Record.Exception(() => new TrainingEngine(model, communicator, backend, new HostKernels(), MlpEngineTests.Options("sgd"), plan).Dispose());
            Assert.Equal(0, backend.LiveBuffers);
            return error;
        })[0];
}
