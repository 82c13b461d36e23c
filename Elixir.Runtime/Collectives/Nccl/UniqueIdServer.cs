using System.Net;
using System.Net.Sockets;
using System.Buffers.Binary;

namespace Elixir.Collectives.Nccl;

/// <summary>
/// Rank 0's side of the start-up exchange: listens on the bootstrap port and hands the NCCL unique id to every
/// other rank. Each peer sends <see cref="UniqueIdProtocol.Magic"/> and its rank; a peer that never arrives ends
/// the wait with a <see cref="TimeoutException"/> naming the missing ranks, so rank 0 never hangs.
/// </summary>
internal sealed class UniqueIdServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly int _worldSize;

    internal UniqueIdServer(IPAddress address, int port, int worldSize)
    {
        _worldSize = worldSize;
        _listener = new TcpListener(address, port);
        try
        {
            _listener.Start(_worldSize);
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException(
                $"Rank 0 cannot listen on {address}:{port} for the NCCL bootstrap ({e.SocketErrorCode}); choose a free port with ELIXIR_BOOTSTRAP_PORT.", e);
        }
    }

    internal int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    internal void Serve(ReadOnlySpan<byte> uniqueId, TimeSpan timeout)
    {
        byte[] id = uniqueId.ToArray();
        var served = new bool[_worldSize];
        served[0] = true;
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            for (int remaining = _worldSize - 1; remaining > 0;)
            {
                using TcpClient peer = _listener.AcceptTcpClientAsync(deadline.Token).AsTask().GetAwaiter().GetResult();
                int rank = ReadRank(peer, deadline.Token);
                if (rank <= 0 || rank >= _worldSize || served[rank])
                {
                    throw new InvalidOperationException(
                        $"NCCL bootstrap: a peer from {peer.Client.RemoteEndPoint} claims rank {rank}, which is {(served.ElementAtOrDefault(rank) ? "already served" : $"outside [1, {_worldSize})")}.");
                }

                peer.GetStream().WriteAsync(id, deadline.Token).AsTask().GetAwaiter().GetResult();
                served[rank] = true;
                remaining--;
            }
        }
        catch (OperationCanceledException)
        {
            int[] missing = [.. Enumerable.Range(0, _worldSize).Where(rank => !served[rank])];
            throw new TimeoutException(
                $"NCCL bootstrap: rank(s) {string.Join(", ", missing)} of {_worldSize} did not reach rank 0 on port {Port} within {timeout.TotalSeconds:0.###} s.");
        }
    }

    private static int ReadRank(TcpClient peer, CancellationToken token)
    {
        byte[] header = new byte[UniqueIdProtocol.HeaderBytes];
        peer.GetStream().ReadExactlyAsync(header, token).AsTask().GetAwaiter().GetResult();
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != UniqueIdProtocol.Magic)
        {
            throw new InvalidOperationException(
                $"NCCL bootstrap: {peer.Client.RemoteEndPoint} is not an Elixir rank (bad greeting); is another service using the bootstrap port?");
        }

        return BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
    }

    public void Dispose() => _listener.Dispose();
}
