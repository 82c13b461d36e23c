namespace Elixir.Checkpoints;

/// <summary>Values to save: the bytes of <paramref name="Shard"/>'s range, little-endian, in its dtype.</summary>
/// <param name="Shard">Which tensor and range the bytes are.</param>
/// <param name="Data">Exactly <see cref="TensorShard.ByteCount"/> bytes.</param>
public sealed record ShardData(TensorShard Shard, ReadOnlyMemory<byte> Data);
