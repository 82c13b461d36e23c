using Elixir.Engine;
using Elixir.Samples.Layouts;
using Elixir.Samples.Models;

namespace Elixir.Samples.Training;

/// <summary>An <see cref="MlpModel"/> whose parameters live in a <see cref="TrainingEngine"/>'s chunks. One instance per rank.</summary>
public sealed class MlpTraining
{
    private readonly MlpModel _model;

    /// <summary>Defines the model for <paramref name="config"/> with <paramref name="localBatch"/> rows per rank, initialised from <paramref name="seed"/>.</summary>
    public MlpTraining(MlpConfig config, int localBatch, ulong seed)
    {
        config.Validate();
        _model = new MlpModel(config, localBatch);
        Definition = new ModelDefinition();
        Layer = Definition.Add<MlpLayout>("mlp", config.LayoutDimensions(), p => MlpInitializer.Initialize(MlpTensors.From(p), config, seed));
        Module = Layer.Module;
    }

    /// <summary>The parameters and modules, to build a <see cref="TrainingEngine"/> from.</summary>
    public ModelDefinition Definition { get; }

    /// <summary>The perceptron's tensors.</summary>
    public LayoutInstance<MlpLayout> Layer { get; }

    /// <summary>The one compute step.</summary>
    public ComputeModule Module { get; }

    /// <summary>One forward and backward pass over this rank's batch; returns the local mean loss.</summary>
    public float Pass(TrainingEngine engine, ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _model.SetBatch(inputs, targets);
        float loss;
        using (engine.Forward(Module))
        {
            loss = _model.Forward(Layer.Parameters);
        }

        using (engine.Backward(Module))
        {
            _model.Backward(Layer.Parameters, Layer.Gradients);
        }

        return loss;
    }
}
