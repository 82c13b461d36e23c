using System.Buffers.Binary;
using System.Net.Sockets;

namespace Elixir.Collectives.Nccl;

/// <summary>
/// A non-zero rank's side of the start-up exchange. Rank 0 may start later than its peers, so refused
/// connections are retried until the timeout, which then names the address and the last error.
/// </summary>
internal static class UniqueIdClient
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(50);

    internal static byte[] Fetch(string host, int port, int rank, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        SocketError lastError = SocketError.Success;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.ConnectAsync(host, port, deadline.Token).AsTask().GetAwaiter().GetResult();
                NetworkStream stream = client.GetStream();
                byte[] header = new byte[UniqueIdProtocol.HeaderBytes];
                BinaryPrimitives.WriteUInt32LittleEndian(header, UniqueIdProtocol.Magic);
                BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), rank);
                stream.WriteAsync(header, deadline.Token).AsTask().GetAwaiter().GetResult();
                byte[] id = new byte[UniqueIdProtocol.IdBytes];
                stream.ReadExactlyAsync(id, deadline.Token).AsTask().GetAwaiter().GetResult();
                return id;
            }
            catch (SocketException e)
            {
                // A refusal that lands just as the deadline passes is a timeout too, never a raw socket error.
                lastError = e.SocketErrorCode;
                if (deadline.IsCancellationRequested)
                {
                    throw TimedOut(host, port, rank, timeout, lastError);
                }

                try
                {
                    Task.Delay(RetryDelay, deadline.Token).GetAwaiter().GetResult();
                }
                catch (OperationCanceledException)
                {
                    throw TimedOut(host, port, rank, timeout, lastError);
                }
            }
            catch (OperationCanceledException)
            {
                throw TimedOut(host, port, rank, timeout, lastError);
            }
            catch (EndOfStreamException)
            {
                throw new InvalidOperationException(
                    $"NCCL bootstrap: rank 0 at {host}:{port} closed the connection before sending the unique id to rank {rank}; see rank 0's error.");
            }
            catch (IOException e) when (e.InnerException is SocketException socket)
            {
                throw new InvalidOperationException(
                    $"NCCL bootstrap: the connection to rank 0 at {host}:{port} failed ({socket.SocketErrorCode}) before rank {rank} got the unique id; see rank 0's error.", e);
            }
        }
    }

    private static TimeoutException TimedOut(string host, int port, int rank, TimeSpan timeout, SocketError lastError) => new(
        $"NCCL bootstrap: rank {rank} could not get the unique id from rank 0 at {host}:{port} within {timeout.TotalSeconds:0.###} s"
        + (lastError == SocketError.Success ? "." : $" (last error: {lastError})."));
}
