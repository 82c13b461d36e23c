using Elixir.Layout;
using Elixir.Samples.Layouts;

namespace Elixir.Samples.Models;

/// <summary>
/// Every tensor of a <see cref="Gpt2Model"/> in one pinned fp32 buffer, laid out by the generated offset
/// tables in GPT-2 order (<see cref="Gpt2Embeddings"/>, L × <see cref="Gpt2Block"/>, <see cref="Gpt2FinalNorm"/>,
/// packed), and exposed through the generated views. Used for parameters or gradients when no chunking
/// runtime is involved, such as reference runs and tests.
/// </summary>
public sealed class Gpt2Parameters
{
    private readonly float[] _values;
    private readonly Gpt2Block[] _blocks;

    /// <summary>Allocates a zeroed buffer for <paramref name="config"/>.</summary>
    public unsafe Gpt2Parameters(Gpt2Config config)
    {
        config.Validate();
        Config = config;
        var dimensions = config.LayoutDimensions();
        var embeddings = new LayoutBinding(Gpt2Embeddings.CreateTable(dimensions));
        var blockTable = Gpt2Block.CreateTable(dimensions);
        var finalNorm = new LayoutBinding(Gpt2FinalNorm.CreateTable(dimensions));
        long bytes = embeddings.Table.TotalBytes + config.Layers * blockTable.TotalBytes + finalNorm.Table.TotalBytes;
        _values = GC.AllocateArray<float>(checked((int)(bytes / sizeof(float))), pinned: true);

        nint address = (nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _values[0]);
        embeddings.BindContiguous(address, BindingLocation.Host);
        address += (nint)embeddings.Table.TotalBytes;
        _blocks = new Gpt2Block[config.Layers];
        for (int layer = 0; layer < config.Layers; layer++)
        {
            var binding = new LayoutBinding(blockTable);
            binding.BindContiguous(address, BindingLocation.Host);
            _blocks[layer] = Gpt2Block.Bind(binding);
            address += (nint)blockTable.TotalBytes;
        }

        finalNorm.BindContiguous(address, BindingLocation.Host);
        Embeddings = Gpt2Embeddings.Bind(embeddings);
        FinalNorm = Gpt2FinalNorm.Bind(finalNorm);
    }

    /// <summary>The model's sizes.</summary>
    public Gpt2Config Config { get; }

    /// <summary>All values, in GPT-2 order.</summary>
    public Span<float> Values => _values;

    /// <summary>The embedding layer's view.</summary>
    public Gpt2Embeddings Embeddings { get; }

    /// <summary>The final LayerNorm's view.</summary>
    public Gpt2FinalNorm FinalNorm { get; }

    /// <summary>Block <paramref name="layer"/>'s view.</summary>
    public Gpt2Block Block(int layer)
    {
        if ((uint)layer >= (uint)Config.Layers)
        {
            throw new ArgumentOutOfRangeException(nameof(layer), $"Layer {layer} is outside the model's {Config.Layers} blocks.");
        }

        return _blocks[layer];
    }

    /// <summary>Initialises every tensor with <see cref="Gpt2Initializer"/>.</summary>
    public void Initialize(ulong seed)
    {
        Gpt2Initializer.InitializeEmbeddings(Embeddings, Config, seed);
        for (int layer = 0; layer < Config.Layers; layer++)
        {
            Gpt2Initializer.InitializeBlock(layer, _blocks[layer], Config, seed);
        }

        Gpt2Initializer.InitializeFinalNorm(FinalNorm, Config);
    }
}
