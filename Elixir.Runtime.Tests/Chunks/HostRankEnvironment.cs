using Elixir.Collectives.Host;
using Elixir.Kernels.Host;
using Elixir.Memory.Host;

namespace Elixir.Tests.Chunks;

/// <summary>Ranks as threads sharing one host backend, with checked host communicators.</summary>
internal sealed class HostRankEnvironment : RankEnvironment
{
    public static readonly LocalClusterOptions Checked = new() { Checked = true, CollectiveTimeout = TimeSpan.FromSeconds(20) };

    public HostMemoryBackend Backend { get; } = new();

    public override int LiveBuffers => Backend.LiveBuffers;

    public override TResult[] Run<TResult>(int worldSize, Func<RankContext, TResult> body) =>
        LocalCluster.Run(worldSize, comm => body(new RankContext(Backend, new HostKernels(), comm)), Checked);
}
