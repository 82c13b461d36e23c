using Elixir.Layout;
using Elixir.Samples.Layouts;

namespace Elixir.Samples.Models;

/// <summary>
/// The MLP's tensors in one pinned fp32 buffer laid out by the generated <see cref="MlpLayout"/> table and
/// exposed through its view; for parameters or gradients when no chunking runtime is involved.
/// </summary>
public sealed class MlpParameters
{
    private readonly float[] _values;

    /// <summary>Allocates a zeroed buffer for <paramref name="config"/>.</summary>
    public unsafe MlpParameters(MlpConfig config)
    {
        config.Validate();
        Config = config;
        var binding = new LayoutBinding(MlpLayout.CreateTable(config.LayoutDimensions()));
        _values = GC.AllocateArray<float>(checked((int)(binding.Table.TotalBytes / sizeof(float))), pinned: true);
        binding.BindContiguous((nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _values[0]), BindingLocation.Host);
        Layout = MlpLayout.Bind(binding);
    }

    /// <summary>The model's sizes.</summary>
    public MlpConfig Config { get; }

    /// <summary>All values in layout order.</summary>
    public Span<float> Values => _values;

    /// <summary>The generated view of the four tensors.</summary>
    public MlpLayout Layout { get; }

    /// <summary>Initialises the tensors with <see cref="MlpInitializer"/>.</summary>
    public void Initialize(ulong seed) => MlpInitializer.Initialize(MlpTensors.From(Layout), Config, seed);
}
