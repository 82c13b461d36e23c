namespace Elixir.Checkpoints;

/// <summary>Where to load a range: <paramref name="Destination"/> receives the bytes of <paramref name="Shard"/>'s range.</summary>
/// <param name="Shard">Which tensor and range to load, with the shape and dtype the file must have.</param>
/// <param name="Destination">Exactly <see cref="TensorShard.ByteCount"/> bytes.</param>
public sealed record ShardTarget(TensorShard Shard, Memory<byte> Destination);
