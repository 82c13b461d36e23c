namespace Elixir.Fetching;

/// <summary>
/// The parameter tensors one compute step (a module's forward or backward) uses, with the distinct chunks they
/// live in, in ascending order. Built once per module so that each step allocates nothing.
/// </summary>
public sealed class TensorGroup
{
    private readonly TensorHandle[] _tensors;
    private readonly int[] _chunks;

    internal TensorGroup(ReadOnlySpan<TensorHandle> tensors)
    {
        _tensors = tensors.ToArray();
        var chunks = new SortedSet<int>();
        foreach (var tensor in tensors)
        {
            chunks.Add(tensor.Chunk);
        }

        _chunks = [.. chunks];
    }

    /// <summary>The tensors, in the order given.</summary>
    public ReadOnlySpan<TensorHandle> Tensors => _tensors;

    /// <summary>The distinct chunks of the tensors, ascending.</summary>
    public ReadOnlySpan<int> Chunks => _chunks;
}
