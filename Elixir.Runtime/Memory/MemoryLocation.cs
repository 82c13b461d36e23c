namespace Elixir.Memory;

/// <summary>Where a buffer lives. On the host backend both locations are host memory, accounted separately.</summary>
public enum MemoryLocation : byte
{
    /// <summary>Accelerator memory (<c>cuMemAlloc</c>); the rCache and GPU-resident shards.</summary>
    Device = 0,
    /// <summary>Host memory (pinned with <c>cuMemHostAlloc</c> on the CUDA backend); offloaded shards.</summary>
    Host = 1,
}
