using System.Net;

namespace Elixir.Collectives.Nccl;

/// <summary>The start-up exchange of a one-process-per-GPU run: rank 0 makes the id and serves it, the others fetch it.</summary>
internal static class UniqueIdExchange
{
    internal static byte[] Run(DistributedEnvironment environment, Func<byte[]> createId, TimeSpan timeout)
    {
        if (environment.Rank != 0)
        {
            return UniqueIdClient.Fetch(environment.MasterAddress, environment.BootstrapPort, environment.Rank, timeout);
        }

        byte[] id = createId();
        using var server = new UniqueIdServer(IPAddress.Any, environment.BootstrapPort, environment.WorldSize);
        server.Serve(id, timeout);
        return id;
    }
}
