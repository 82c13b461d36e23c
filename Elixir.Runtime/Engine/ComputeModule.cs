using System.Collections.Immutable;

namespace Elixir.Engine;

/// <summary>
/// One compute step of a model (a block, the embeddings, the head): the tensors it reads. A forward or backward
/// scope opens a module: its chunks are gathered and its tensors' views bound for the duration.
/// </summary>
public sealed class ComputeModule
{
    internal ComputeModule(string name, ImmutableArray<TensorReference> tensors, int index)
    {
        Name = name;
        Tensors = tensors;
        Index = index;
        AllMultiUse = tensors.All(t => t.Instance.Table[t.Index].MultiUse);
    }

    /// <summary>The module's name in plans and messages.</summary>
    public string Name { get; }

    /// <summary>The tensors the module uses, in the order they were given.</summary>
    public ImmutableArray<TensorReference> Tensors { get; }

    internal int Index { get; }

    /// <summary>True when every tensor is declared multi-use, so the module may run more than once per pass.</summary>
    internal bool AllMultiUse { get; }

    /// <inheritdoc/>
    public override string ToString() => $"module '{Name}' ({Tensors.Length} tensors)";
}
