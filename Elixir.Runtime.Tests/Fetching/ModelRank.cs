using Elixir.Chunks;
using Elixir.Collectives;
using Elixir.Fetching;
using Elixir.Kernels.Host;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Runtime.Tests.Fetching;

/// <summary>
/// One rank of a small fp32 model on real chunks: layers of the generated layout <typeparamref name="TLayer"/>,
/// packed first fit in declaration order into public chunks of <see cref="ChunkSize"/> elements, and optionally a
/// <see cref="TiedEmbedding"/> shared by the first and the last layer, alone in a fused chunk (chunk 0). Chunk
/// <c>i</c> is <c>Group.Chunks[i]</c>.
/// </summary>
internal sealed class ModelRank<TLayer> : IDisposable where TLayer : struct, IChunkLayout<TLayer>
{
    public const long ChunkSize = 32;
    private const long EmbeddingSize = 8;

    private readonly Dictionary<ITensorStateCounter, int> _layerOf = new(ReferenceEqualityComparer.Instance);
    private readonly NativeBuffer _gradient;

    public ModelRank(IMemoryBackend backend, ICommunicator communicator, int layers, bool tied, int publicBlocks)
    {
        Communicator = communicator;
        var pool = new RCache(backend, $"rcache{communicator.Rank}", ChunkSize, DType.Float32, publicBlocks,
            tied ? [(EmbeddingSize, DType.Float32)] : []);
        Group = new ChunkGroup(pool, backend, communicator, new HostKernels());
        _gradient = backend.Allocate(ChunkSize * sizeof(float), MemoryLocation.Host);
        var embedding = tied ? AddLayout<TiedEmbedding>(-1) : default;
        if (tied)
        {
            var chunk = Group.OpenChunk(EmbeddingSize, DType.Float32, MemoryLocation.Device, fused: true);
            Append(backend, chunk, embedding.Binding, embedding.Counter, 0, -1);
            Group.CloseChunk(chunk);
        }

        var layouts = new (LayoutBinding Binding, ITensorStateCounter Counter)[layers];
        Chunk? open = null;
        for (var layer = 0; layer < layers; layer++)
        {
            layouts[layer] = AddLayout<TLayer>(layer);
            var table = layouts[layer].Binding.Table;
            for (var t = 0; t < table.Count; t++)
            {
                if (open is not null && open.UsedElements + table[t].ElementCount > ChunkSize)
                {
                    Group.CloseChunk(open);
                    open = null;
                }

                open ??= Group.OpenChunk(ChunkSize, DType.Float32, MemoryLocation.Device);
                Append(backend, open, layouts[layer].Binding, layouts[layer].Counter, t, layer);
            }
        }

        Group.CloseChunk(open!);
        var steps = new TensorHandle[layers][];
        for (var layer = 0; layer < layers; layer++)
        {
            var handles = new List<TensorHandle>();
            if (tied && (layer == 0 || layer == layers - 1))
            {
                handles.Add(Group.HandleOf(embedding.Counter, 0));
            }

            for (var t = 0; t < layouts[layer].Binding.Table.Count; t++)
            {
                handles.Add(Group.HandleOf(layouts[layer].Counter, t));
            }

            steps[layer] = [.. handles];
        }

        Model = new LayeredModel(steps);
        Bindings = layouts.Select(l => l.Binding).ToArray();
    }

    public ICommunicator Communicator { get; }

    public ChunkGroup Group { get; }

    public LayeredModel Model { get; }

    public LayoutBinding[] Bindings { get; }

    /// <summary>Parameter <paramref name="i"/> of tensor <paramref name="tensor"/> of a layer (-1: the embedding).</summary>
    public static float Parameter(int layer, int tensor, long i) => layer + (tensor / 4f) + ((i % 7) / 8f);

    /// <summary>The gradient a rank writes; small multiples of 1/8, so the rank average is exact.</summary>
    public static float Gradient(int rank, int layer, int tensor, long i) => rank + 1 + layer - (tensor / 2f) + ((i % 5) / 8f);

    public bool[] FusedFlags() => Group.Chunks.Select(c => c.IsFused).ToArray();

    /// <summary>Writes this rank's gradient of a tensor into its gathered chunk.</summary>
    public void WriteGradient(TensorHandle handle)
    {
        var chunk = Group.Chunks[handle.Chunk];
        var tensor = chunk.Tensors[handle.Tensor];
        var values = _gradient.All.AsSpan<float>()[..(int)tensor.ElementCount];
        var layer = _layerOf[tensor.Counter];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Gradient(Communicator.Rank, layer, tensor.Index, i);
        }

        chunk.WriteGradient(handle.Tensor, _gradient.Slice(0, tensor.ElementCount * sizeof(float)));
    }

    /// <summary>Checks that every element of this rank's shards holds the rank average of its gradient.</summary>
    public void AssertShardsHoldAveragedGradients()
    {
        var meanRank = (Communicator.WorldSize - 1) / 2f;
        foreach (var chunk in Group.Chunks)
        {
            var shard = chunk.ShardPayload.AsSpan<float>();
            foreach (var tensor in chunk.Tensors)
            {
                for (long i = 0; i < tensor.ElementCount; i++)
                {
                    var position = tensor.Offset + i - chunk.Shard.Begin;
                    if (position >= 0 && position < chunk.Shard.ValidCount)
                    {
                        // Gradient is linear in the rank, so the average is the gradient at the mean rank.
                        Assert.Equal(Gradient(0, _layerOf[tensor.Counter], tensor.Index, i) + meanRank, shard[(int)position]);
                    }
                }
            }
        }
    }

    /// <summary>Checks that a gathered layer reads its initial parameters.</summary>
    public void AssertLayerReadsItsParameters(int layer)
    {
        var binding = Bindings[layer];
        for (var t = 0; t < binding.Table.Count; t++)
        {
            var view = binding.HostSpan<float>(t);
            for (var i = 0; i < view.Length; i++)
            {
                Assert.Equal(Parameter(layer, t, i), view[i]);
            }
        }
    }

    public void Dispose()
    {
        _gradient.Dispose();
        Group.Dispose();
    }

    private (LayoutBinding Binding, ITensorStateCounter Counter) AddLayout<TLayout>(int layer)
        where TLayout : struct, IChunkLayout<TLayout>
    {
        var counter = TLayout.CreateStateCounter();
        _layerOf.Add(counter, layer);
        return (new LayoutBinding(TLayout.CreateTable(LayoutDimensions.None)), counter);
    }

    private static void Append(IMemoryBackend backend, Chunk chunk, LayoutBinding binding, ITensorStateCounter counter, int t, int layer)
    {
        var count = binding.Table[t].ElementCount;
        using var initial = backend.Allocate(count * sizeof(float), MemoryLocation.Host);
        var values = initial.All.AsSpan<float>();
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Parameter(layer, t, i);
        }

        chunk.Append(binding, counter, t, initial.All);
    }
}
