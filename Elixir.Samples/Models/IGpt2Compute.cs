using Elixir.Samples.Layouts;

namespace Elixir.Samples.Models;

/// <summary>
/// The sample GPT-2's compute contract, which <see cref="Gpt2Model"/> (host, fp32) and
/// <see cref="Cuda.Gpt2CudaModel"/> (one GPU, fp32) both keep: the call order, which gradients each call
/// overwrites or adds to, and the tied token embedding's two gradient shares are described on <see cref="Gpt2Model"/>.
/// </summary>
public interface IGpt2Compute
{
    /// <summary>Tokens per batch (B × T).</summary>
    int TokensPerBatch { get; }

    /// <summary>
    /// The bytes of activations and scratch one pass needs, in the memory the model computes in; the training
    /// definition reports them to the planner as working memory.
    /// </summary>
    long ActivationBytes { get; }

    /// <summary>Embeds the (B, T) tokens.</summary>
    void EmbeddingForward(in Gpt2Embeddings parameters, ReadOnlySpan<int> tokens);

    /// <summary>Runs one transformer block.</summary>
    void BlockForward(int layer, in Gpt2Block parameters);

    /// <summary>Final norm, tied head and mean cross-entropy; returns the loss.</summary>
    float HeadForward(in Gpt2FinalNorm parameters, in Gpt2Embeddings embeddings, ReadOnlySpan<int> targets);

    /// <summary>Backward of the head: overwrites the final norm's gradients and the head's share of the token embedding's.</summary>
    void HeadBackward(in Gpt2FinalNorm parameters, in Gpt2Embeddings embeddings, in Gpt2FinalNorm grads, in Gpt2Embeddings embeddingGrads);

    /// <summary>Backward of one block: overwrites its gradients.</summary>
    void BlockBackward(int layer, in Gpt2Block parameters, in Gpt2Block grads);

    /// <summary>Backward of the embedding: adds to the token embedding's gradient, overwrites the position embedding's.</summary>
    void EmbeddingBackward(in Gpt2Embeddings grads);
}
