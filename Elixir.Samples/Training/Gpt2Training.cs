using Elixir.Engine;
using Elixir.Samples.Layouts;
using Elixir.Samples.Models;

namespace Elixir.Samples.Training;

/// <summary>
/// A <see cref="Gpt2Model"/> whose parameters live in a <see cref="TrainingEngine"/>'s chunks: the model
/// definition (embeddings, L blocks, a head that reuses the token embedding) and one training pass through the
/// engine's compute scopes. One instance per rank.
/// </summary>
public sealed class Gpt2Training
{
    private readonly Gpt2Model _model;
    private readonly LayoutInstance<Gpt2Block>[] _blocks;
    private readonly ComputeModule[] _blockModules;

    /// <summary>Defines the model for <paramref name="config"/> with <paramref name="localBatch"/> sequences per rank, initialised from <paramref name="seed"/>.</summary>
    public Gpt2Training(Gpt2Config config, int localBatch, ulong seed)
    {
        config.Validate();
        Config = config;
        _model = new Gpt2Model(config, localBatch);
        var dimensions = config.LayoutDimensions();
        Definition = new ModelDefinition();
        Embeddings = Definition.Add<Gpt2Embeddings>("transformer", dimensions, p => Gpt2Initializer.InitializeEmbeddings(p, config, seed));
        EmbeddingModule = Embeddings.Module;
        _blocks = new LayoutInstance<Gpt2Block>[config.Layers];
        _blockModules = new ComputeModule[config.Layers];
        for (int layer = 0; layer < config.Layers; layer++)
        {
            int l = layer;
            _blocks[layer] = Definition.Add<Gpt2Block>($"transformer.h.{layer}", dimensions, p => Gpt2Initializer.InitializeBlock(l, p, config, seed));
            _blockModules[layer] = _blocks[layer].Module;
        }

        FinalNorm = Definition.Add<Gpt2FinalNorm>("transformer.ln_f", dimensions, p => Gpt2Initializer.InitializeFinalNorm(p, config), addModule: false);
        HeadModule = Definition.AddModule("lm_head", [.. FinalNorm.All, Embeddings.Tensor(nameof(Gpt2Embeddings.Wte))]);
    }

    /// <summary>The model's sizes.</summary>
    public Gpt2Config Config { get; }

    /// <summary>The parameters and modules, to build a <see cref="TrainingEngine"/> from.</summary>
    public ModelDefinition Definition { get; }

    /// <summary>The token and position embeddings.</summary>
    public LayoutInstance<Gpt2Embeddings> Embeddings { get; }

    /// <summary>The final LayerNorm.</summary>
    public LayoutInstance<Gpt2FinalNorm> FinalNorm { get; }

    /// <summary>The embedding step.</summary>
    public ComputeModule EmbeddingModule { get; }

    /// <summary>The head step: the final norm and the tied token embedding.</summary>
    public ComputeModule HeadModule { get; }

    /// <summary>Tokens per rank and pass.</summary>
    public int TokensPerPass => _model.TokensPerBatch;

    /// <summary>
    /// One forward and backward pass over this rank's <paramref name="inputs"/> and <paramref name="targets"/>
    /// through <paramref name="engine"/>'s scopes; returns the mean loss of the local batch. Gradients are stored
    /// and reduced as the scopes close; call <see cref="TrainingEngine.Step"/> after the accumulation steps.
    /// </summary>
    public float Pass(TrainingEngine engine, ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets)
    {
        ArgumentNullException.ThrowIfNull(engine);
        float loss = Forward(engine, inputs, targets);
        using (engine.Backward(HeadModule))
        {
            _model.HeadBackward(FinalNorm.Parameters, Embeddings.Parameters, FinalNorm.Gradients, Embeddings.Gradients);
        }

        for (int layer = Config.Layers - 1; layer >= 0; layer--)
        {
            using (engine.Backward(_blockModules[layer]))
            {
                _model.BlockBackward(layer, _blocks[layer].Parameters, _blocks[layer].Gradients);
            }
        }

        using (engine.Backward(EmbeddingModule))
        {
            _model.EmbeddingBackward(Embeddings.Gradients);
        }

        return loss;
    }

    /// <summary>The mean loss of the local batch without gradients; every chunk is released afterwards.</summary>
    public float Evaluate(TrainingEngine engine, ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets)
    {
        ArgumentNullException.ThrowIfNull(engine);
        float loss = Forward(engine, inputs, targets);
        engine.FinishInference();
        return loss;
    }

    private float Forward(TrainingEngine engine, ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets)
    {
        using (engine.Forward(EmbeddingModule))
        {
            _model.EmbeddingForward(Embeddings.Parameters, inputs);
        }

        for (int layer = 0; layer < Config.Layers; layer++)
        {
            using (engine.Forward(_blockModules[layer]))
            {
                _model.BlockForward(layer, _blocks[layer].Parameters);
            }
        }

        using (engine.Forward(HeadModule))
        {
            return _model.HeadForward(FinalNorm.Parameters, Embeddings.Parameters, targets);
        }
    }
}
