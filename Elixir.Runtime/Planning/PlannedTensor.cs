namespace Elixir.Planning;

/// <summary>A parameter's place in its chunk.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Offset">Its first element within the chunk.</param>
/// <param name="ElementCount">Its number of elements.</param>
public sealed record PlannedTensor(string Name, long Offset, long ElementCount);
