namespace Elixir.Optim;

/// <summary>
/// A run of a chunk pair's shard that belongs to one optimizer group: elements [Start, Start + Count) of the
/// shard, updated with group <see cref="Group"/>'s hyper-parameters.
/// </summary>
internal readonly record struct OptimizerSegment(int Pair, long Start, long Count, int Group);
