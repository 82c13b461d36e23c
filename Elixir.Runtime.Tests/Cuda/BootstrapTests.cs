using System.Net;
using System.Net.Sockets;
using Elixir.Collectives.Nccl;
using Elixir.Cuda;

namespace Elixir.Runtime.Tests.Cuda;

public sealed class BootstrapTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Rank_zero_hands_the_same_id_to_every_other_rank(int worldSize)
    {
        byte[] id = [.. Enumerable.Range(0, 128).Select(i => (byte)(i * 7 + 3))];
        using var server = new UniqueIdServer(IPAddress.Loopback, 0, worldSize);
        Task<byte[]>[] peers = [.. Enumerable.Range(1, worldSize - 1)
            .Select(rank => Task.Run(() => UniqueIdClient.Fetch("127.0.0.1", server.Port, rank, Generous)))];

        server.Serve(id, Generous);

        foreach (Task<byte[]> peer in peers)
        {
            Assert.Equal(id, await peer);
        }
    }

    [Fact]
    public async Task Rank_zero_times_out_naming_the_ranks_that_never_arrived()
    {
        using var server = new UniqueIdServer(IPAddress.Loopback, 0, 3);
        Task<byte[]> rankOne = Task.Run(() => UniqueIdClient.Fetch("127.0.0.1", server.Port, 1, Generous));

        TimeoutException e = Assert.Throws<TimeoutException>(() => server.Serve(new byte[128], TimeSpan.FromMilliseconds(500)));

        Assert.Contains("rank(s) 2 of 3 did not reach rank 0", e.Message);
        Assert.Equal(128, (await rankOne).Length);
    }

    [Fact]
    public void A_rank_times_out_naming_the_address_when_rank_zero_never_listens()
    {
        int port = FreePort();

        TimeoutException e = Assert.Throws<TimeoutException>(() => UniqueIdClient.Fetch("127.0.0.1", port, 2, TimeSpan.FromMilliseconds(300)));

        Assert.Contains($"rank 2 could not get the unique id from rank 0 at 127.0.0.1:{port}", e.Message);
    }

    [Fact]
    public async Task A_rank_waits_for_a_rank_zero_that_starts_late()
    {
        int port = FreePort();
        Task<byte[]> early = Task.Run(() => UniqueIdClient.Fetch("127.0.0.1", port, 1, Generous));
        await Task.Delay(200, TestContext.Current.CancellationToken);
        using var server = new UniqueIdServer(IPAddress.Loopback, port, 2);

        server.Serve(Enumerable.Repeat((byte)9, 128).ToArray(), Generous);

        Assert.All(await early, b => Assert.Equal(9, b));
    }

    [Fact]
    public async Task A_duplicate_rank_is_rejected_with_its_number()
    {
        using var server = new UniqueIdServer(IPAddress.Loopback, 0, 3);
        Task<byte[]>[] claimants = [.. Enumerable.Range(0, 2)
            .Select(_ => Task.Run(() => UniqueIdClient.Fetch("127.0.0.1", server.Port, 1, TimeSpan.FromSeconds(5))))];

        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => server.Serve(new byte[128], Generous));

        Assert.Contains("claims rank 1, which is already served", e.Message);
        bool[] served = await Task.WhenAll(claimants.Select(c => c.ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default)));
        Assert.Equal(1, served.Count(s => s));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Rank_zero_starts_while_a_launcher_store_holds_master_port(int worldSize)
    {
        // torchrun's own store listens on MASTER_PORT; the exchange must use another port.
        (TcpListener store, int masterPort) = ListenerWithFreeNextPort();
        using (store)
        {
            byte[] id = [.. Enumerable.Range(0, 128).Select(i => (byte)(255 - i))];
            DistributedEnvironment Rank(int rank) => DistributedEnvironment.FromEnvironment(name => name switch
            {
                "RANK" => rank.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "WORLD_SIZE" => worldSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "LOCAL_RANK" => "0",
                "MASTER_ADDR" => "127.0.0.1",
                "MASTER_PORT" => masterPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            });
            Task<byte[]>[] peers = [.. Enumerable.Range(1, worldSize - 1)
                .Select(rank => Task.Run(() => UniqueIdExchange.Run(Rank(rank), () => throw new InvalidOperationException("only rank 0 makes the id"), Generous)))];

            byte[] served = UniqueIdExchange.Run(Rank(0), () => id, Generous);

            Assert.Equal(id, served);
            foreach (Task<byte[]> peer in peers)
            {
                Assert.Equal(id, await peer);
            }

            Assert.True(store.Server.IsBound);
        }
    }

    // A listener on a free port whose next port is free too (the default bootstrap port), retried until found.
    private static (TcpListener Listener, int Port) ListenerWithFreeNextPort()
    {
        for (int attempt = 0; ; attempt++)
        {
            var listener = new TcpListener(IPAddress.Any, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            try
            {
                using var next = new TcpListener(IPAddress.Any, DistributedEnvironment.DefaultBootstrapPort(port));
                next.Start();
                return (listener, port);
            }
            catch (SocketException) when (attempt < 50)
            {
                listener.Dispose();
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
