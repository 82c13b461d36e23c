using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Engine;

public sealed partial class TrainingEngine
{
    /// <summary>
    /// Puts chunk <paramref name="c"/>'s parameters back into its shard from the fp32 master. Device shards are cast
    /// on the device. Offloaded shards are cast on the host now, where the master lives, instead of lazily at the
    /// next gather: that gather would otherwise read the fp32 master across PCIe, twice the bytes of the shard.
    /// </summary>
    private void RefreshFromMaster(int c)
    {
        var chunk = _chunks[c];
        if (chunk.ShardLocation == MemoryLocation.Host)
        {
            _hostKernels.Cast(_masters[c].ShardPayload, DType.Float32, chunk.ShardPayload, chunk.DType);
            chunk.MarkRefreshedByOptimizer();
        }
        else
        {
            chunk.OptimizerUpdate();
        }
    }
}
