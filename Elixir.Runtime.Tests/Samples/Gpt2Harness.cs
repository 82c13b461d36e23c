using Elixir.Samples.Models;

namespace Elixir.Runtime.Tests.Samples;

/// <summary>Drives a <see cref="Gpt2Model"/> over flat parameter and gradient buffers, layer by layer.</summary>
internal sealed class Gpt2Harness
{
    public Gpt2Harness(Gpt2Config config, int batch)
    {
        Model = new Gpt2Model(config, batch);
        Parameters = new Gpt2Parameters(config);
        Grads = new Gpt2Parameters(config);
    }

    public Gpt2Model Model { get; }

    public Gpt2Parameters Parameters { get; }

    public Gpt2Parameters Grads { get; }

    public float Forward(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets)
    {
        var p = Parameters;
        Model.EmbeddingForward(p.Embeddings, tokens);
        for (int layer = 0; layer < p.Config.Layers; layer++)
        {
            Model.BlockForward(layer, p.Block(layer));
        }

        return Model.HeadForward(p.FinalNorm, p.Embeddings, targets);
    }

    public void Backward()
    {
        var p = Parameters;
        var g = Grads;
        Model.HeadBackward(p.FinalNorm, p.Embeddings, g.FinalNorm, g.Embeddings);
        for (int layer = p.Config.Layers - 1; layer >= 0; layer--)
        {
            Model.BlockBackward(layer, p.Block(layer), g.Block(layer));
        }

        Model.EmbeddingBackward(g.Embeddings);
    }

    /// <summary>One plain gradient-descent step; returns the loss before the update.</summary>
    public float Step(ReadOnlySpan<int> tokens, ReadOnlySpan<int> targets, float learningRate)
    {
        float loss = Forward(tokens, targets);
        Backward();
        var values = Parameters.Values;
        var grads = Grads.Values;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] -= learningRate * grads[i];
        }

        return loss;
    }
}
