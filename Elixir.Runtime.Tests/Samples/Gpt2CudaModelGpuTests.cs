using Elixir.Cuda;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Runtime.Tests.Cuda;
using Elixir.Samples.Layouts;
using Elixir.Samples.Models;
using Elixir.Samples.Models.Cuda;

namespace Elixir.Runtime.Tests.Samples;

/// <summary>
/// The GPU model against the host model (the reference, itself checked against finite differences) on the same
/// parameters and batch: the loss and every gradient tensor (each kernel, forward and backward, feeds one). Tolerance per tensor: the largest
/// difference at most 1e-4 of the tensor's largest magnitude plus 1e-6, for fp32 sums taken in another order
/// (cuBLAS, warp reductions, atomic adds in the token embedding's gradient).
/// </summary>
[Trait("Category", GpuRequirement.Category)]
public sealed class Gpt2CudaModelGpuTests
{
    private static readonly Gpt2Config Config = new(VocabularySize: 37, SequenceLength: 16, Channels: 32, Layers: 2, Heads: 4);
    private const int Batch = 3;

    [Fact]
    public void The_loss_and_every_gradient_match_the_host_model()
    {
        GpuRequirement.Devices();
        Assert.SkipUnless(CublasContext.IsAvailable, CublasContext.Describe());
        var random = new Random(5);
        int[] tokens = [.. Enumerable.Range(0, Batch * Config.SequenceLength).Select(_ => random.Next(Config.VocabularySize))];
        int[] targets = [.. Enumerable.Range(0, Batch * Config.SequenceLength).Select(_ => random.Next(Config.VocabularySize))];

        var hostParameters = new Gpt2Parameters(Config);
        hostParameters.Initialize(seed: 11);
        var hostGrads = new Gpt2Parameters(Config);
        var host = new Gpt2Model(Config, Batch);
        float hostLoss = Pass(host, Layouts(hostParameters), Layouts(hostGrads), tokens, targets);

        using var gpu = new GpuSession();
        using NativeBuffer deviceParameters = gpu.Upload<float>(hostParameters.Values);
        using NativeBuffer deviceGrads = gpu.Upload<float>(new float[hostParameters.Values.Length]);
        using var model = new Gpt2CudaModel(Config, Batch, gpu.Backend, gpu.Backend.DefaultStream);
        float gpuLoss = Pass(model, DeviceLayouts(deviceParameters), DeviceLayouts(deviceGrads), tokens, targets);
        float[] grads = gpu.Download<float>(deviceGrads);

        Assert.True(Math.Abs(gpuLoss - hostLoss) <= 1e-5 * Math.Abs(hostLoss), $"GPU loss {gpuLoss}, host loss {hostLoss}.");
        foreach ((string name, long offset, long count) in Tensors())
        {
            Within(name, hostGrads.Values.Slice((int)offset, (int)count), grads.AsSpan((int)offset, (int)count));
        }
    }

    private static float Pass(IGpt2Compute model, (Gpt2Embeddings E, Gpt2Block[] B, Gpt2FinalNorm F) p, (Gpt2Embeddings E, Gpt2Block[] B, Gpt2FinalNorm F) g, int[] tokens, int[] targets)
    {
        model.EmbeddingForward(p.E, tokens);
        for (int layer = 0; layer < Config.Layers; layer++)
        {
            model.BlockForward(layer, p.B[layer]);
        }

        float loss = model.HeadForward(p.F, p.E, targets);
        model.HeadBackward(p.F, p.E, g.F, g.E);
        for (int layer = Config.Layers - 1; layer >= 0; layer--)
        {
            model.BlockBackward(layer, p.B[layer], g.B[layer]);
        }

        model.EmbeddingBackward(g.E);
        return loss;
    }

    private static (Gpt2Embeddings, Gpt2Block[], Gpt2FinalNorm) Layouts(Gpt2Parameters parameters) =>
        (parameters.Embeddings, [.. Enumerable.Range(0, Config.Layers).Select(parameters.Block)], parameters.FinalNorm);

    // The device layouts in Gpt2Parameters' flat order: embeddings, the blocks, the final norm.
    private static (Gpt2Embeddings, Gpt2Block[], Gpt2FinalNorm) DeviceLayouts(NativeBuffer buffer)
    {
        var dimensions = Config.LayoutDimensions();
        nint address = buffer.Address;
        var embeddings = Bind(Gpt2Embeddings.CreateTable(dimensions), ref address);
        var blocks = new Gpt2Block[Config.Layers];
        var blockTable = Gpt2Block.CreateTable(dimensions);
        for (int layer = 0; layer < Config.Layers; layer++)
        {
            blocks[layer] = Gpt2Block.Bind(Bind(blockTable, ref address));
        }

        var finalNorm = Bind(Gpt2FinalNorm.CreateTable(dimensions), ref address);
        return (Gpt2Embeddings.Bind(embeddings), blocks, Gpt2FinalNorm.Bind(finalNorm));
    }

    private static LayoutBinding Bind(LayoutTable table, ref nint address)
    {
        var binding = new LayoutBinding(table, BindingLocation.Device);
        binding.BindContiguous(address, BindingLocation.Device);
        address += (nint)table.TotalBytes;
        return binding;
    }

    private static IEnumerable<(string Name, long Offset, long Count)> Tensors()
    {
        var dimensions = Config.LayoutDimensions();
        long offset = 0;
        var tables = new List<(string Prefix, LayoutTable Table)> { ("transformer", Gpt2Embeddings.CreateTable(dimensions)) };
        tables.AddRange(Enumerable.Range(0, Config.Layers).Select(l => ($"transformer.h.{l}", Gpt2Block.CreateTable(dimensions))));
        tables.Add(("transformer.ln_f", Gpt2FinalNorm.CreateTable(dimensions)));
        foreach ((string prefix, LayoutTable table) in tables)
        {
            long start = offset;
            foreach (TensorSlot slot in table.Slots.ToArray())
            {
                yield return ($"{prefix}.{slot.Name}", start + (slot.ByteOffset / sizeof(float)), slot.ElementCount);
            }

            offset += table.TotalBytes / sizeof(float);
        }
    }

    private static void Within(string name, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        float largest = 0, worst = 0;
        int at = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            largest = MathF.Max(largest, MathF.Abs(expected[i]));
            float difference = MathF.Abs(expected[i] - actual[i]);
            if (difference > worst)
            {
                (worst, at) = (difference, i);
            }
        }

        Assert.True(worst <= (1e-4f * largest) + 1e-6f,
            $"Gradient of {name}: element {at} is {actual[at]} on the GPU and {expected[at]} on the host (largest magnitude {largest}).");
    }
}
