namespace Elixir.Planning;

/// <summary>The memory one rank needs on the device and on the host.</summary>
/// <param name="Device">Device memory by kind.</param>
/// <param name="Host">Host memory by kind (offloaded shards; pinned on the CUDA backend).</param>
public readonly record struct RankMemory(MemoryBreakdown Device, MemoryBreakdown Host);
