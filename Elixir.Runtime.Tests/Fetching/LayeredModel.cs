using Elixir.Fetching;

namespace Elixir.Runtime.Tests.Fetching;

/// <summary>
/// A model as the fetcher sees it: the tensors each layer uses, run forward (layers in order) and backward
/// (reversed). The steps of one iteration are the forward layers, then the backward layers.
/// </summary>
internal sealed class LayeredModel(TensorHandle[][] layers)
{
    public TensorHandle[][] Layers { get; } = layers;

    public int StepCount => 2 * Layers.Length;

    /// <summary>
    /// Six layers of two tensors over public chunks 1..4 (three tensors each, so layers 1 and 4 straddle two chunks),
    /// and a tied embedding in fused chunk 0 used by the first and the last layer.
    /// </summary>
    public static LayeredModel Tied()
    {
        var layers = new TensorHandle[6][];
        for (var layer = 0; layer < 6; layer++)
        {
            var tensors = new List<TensorHandle>();
            if (layer is 0 or 5)
            {
                tensors.Add(new TensorHandle(0, 0));
            }

            for (var t = 2 * layer; t < (2 * layer) + 2; t++)
            {
                tensors.Add(new TensorHandle(1 + (t / 3), t % 3));
            }

            layers[layer] = [.. tensors];
        }

        return new LayeredModel(layers);
    }

    /// <summary>Layer <c>i</c> of <paramref name="count"/> uses the one tensor of chunk <c>i</c>.</summary>
    public static LayeredModel OneChunkPerLayer(int count) =>
        new(Enumerable.Range(0, count).Select(i => new[] { new TensorHandle(i, 0) }).ToArray());

    /// <summary>The layer a step runs: forward steps first, then backward steps in reverse.</summary>
    public int LayerAt(int step) => step < Layers.Length ? step : StepCount - 1 - step;

    /// <summary>The distinct chunks of every step, in step order (the profile a prefetch scheduler needs).</summary>
    public int[][] ChunksPerStep() =>
        Enumerable.Range(0, StepCount).Select(s => Layers[LayerAt(s)].Select(t => t.Chunk).Distinct().Order().ToArray()).ToArray();

    public TensorGroup[] CreateGroups(ChunkFetcher fetcher) => Layers.Select(l => fetcher.CreateGroup(l)).ToArray();

    /// <summary>
    /// One training iteration the way a module wrapper drives it; a tensor's gradient is ready after the backward
    /// step of the last layer (in backward order) that uses it. <paramref name="forward"/> runs as each layer's
    /// forward computes; <paramref name="writeGradient"/> just before a tensor's gradient is declared ready.
    /// </summary>
    public void RunIteration(
        ChunkFetcher fetcher, TensorGroup[] groups, Action<int>? forward = null, Action<TensorHandle>? writeGradient = null)
    {
        fetcher.Reset();
        for (var layer = 0; layer < Layers.Length; layer++)
        {
            fetcher.ToCompute(groups[layer]);
            fetcher.Gather(groups[layer]);
            forward?.Invoke(layer);
            fetcher.ToHold(groups[layer], ComputePhase.Forward);
        }

        for (var layer = Layers.Length - 1; layer >= 0; layer--)
        {
            fetcher.ToCompute(groups[layer]);
            fetcher.Gather(groups[layer]);
            fetcher.ToHold(groups[layer], ComputePhase.Backward);
            foreach (var tensor in groups[layer].Tensors)
            {
                if (!UsedBefore(tensor, layer))
                {
                    writeGradient?.Invoke(tensor);
                    fetcher.GradientReady(tensor);
                }
            }
        }

        fetcher.Clear();
    }

    private bool UsedBefore(TensorHandle tensor, int layer)
    {
        for (var earlier = 0; earlier < layer; earlier++)
        {
            if (Array.IndexOf(Layers[earlier], tensor) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
