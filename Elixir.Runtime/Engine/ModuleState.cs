using Elixir.Fetching;

namespace Elixir.Engine;

/// <summary>
/// The engine's record of one <see cref="ComputeModule"/>: its tensors' numbers in the engine's tensor table, the
/// fetch group of their chunks, and how often it ran in the current pass. Owned by the engine, so the user's
/// definition objects carry no engine state.
/// </summary>
internal sealed class ModuleState
{
    public ModuleState(ComputeModule module, int[] tensors)
    {
        Module = module;
        Tensors = tensors;
    }

    /// <summary>The module as the user defined it.</summary>
    public ComputeModule Module { get; }

    /// <summary>The engine's number of each of the module's tensors, in <see cref="ComputeModule.Tensors"/> order.</summary>
    public int[] Tensors { get; }

    /// <summary>The tensors as the fetcher groups them; set once the chunks exist.</summary>
    public TensorGroup Group { get; set; } = null!;

    /// <summary>Times the module ran forward in the current pass.</summary>
    public int ForwardRuns { get; set; }

    /// <summary>Times the module ran backward in the current pass.</summary>
    public int BackwardRuns { get; set; }
}
