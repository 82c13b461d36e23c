namespace Elixir.Chunks;

/// <summary>The bytes a chunk holds at each memory location.</summary>
/// <param name="DeviceBytes">Bytes in device memory (its rCache block while gathered, and a device shard).</param>
/// <param name="HostBytes">Bytes in host memory (an offloaded shard).</param>
public readonly record struct ChunkMemoryUsage(long DeviceBytes, long HostBytes);
