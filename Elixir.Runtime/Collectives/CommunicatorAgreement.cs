using System.Buffers.Binary;
using System.Runtime.ExceptionServices;
using System.Text;
using Elixir.Checkpoints;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Collectives;

/// <summary>
/// Cross-rank agreement on the outcome of local work (file I/O), so that no rank waits for a peer that gave up.
/// When any rank failed, every rank throws, and the ranks that did not fail report the cause of the lowest failed
/// rank (its message travels by broadcast), so the cause is never lost to whichever rank's error is reported first.
/// </summary>
internal static class CommunicatorAgreement
{
    /// <summary>Bytes of a cause that travel: the length prefix and the first part of the message.</summary>
    private const int MessageBytes = 1024;

    /// <summary>
    /// Runs <paramref name="action"/> on this rank, then agrees with every rank whether all succeeded: a failure
    /// anywhere throws everywhere (the local error where there is one, an <see cref="IOException"/> naming the
    /// failed rank and its cause elsewhere). Every rank calls it once per operation; <paramref name="backend"/>
    /// carries the cause.
    /// </summary>
    public static void Agreed(this ICommunicator communicator, IMemoryBackend backend, Action action, string what)
    {
        Exception? failure = null;
        try
        {
            action();
        }
        catch (Exception e) when (IsAgreedFailure(e))
        {
            failure = e;
        }

        int worldSize = communicator.WorldSize;

        // The lowest failed rank r reports worldSize - r, so the maximum names it; 0 means no rank failed.
        double reported = communicator.AllReduce(failure is null ? 0 : worldSize - communicator.Rank, ReduceOp.Max);
        if (reported == 0)
        {
            return;
        }

        int failedRank = worldSize - (int)reported;
        string cause = Share(communicator, backend, failedRank, failure);
        if (failure is not null)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }

        throw new IOException($"Rank {communicator.Rank}: rank {failedRank} failed to {what}: {cause}; nothing was changed here.");
    }

    /// <summary>The errors local work turns into an agreed failure instead of a crash of one rank.</summary>
    private static bool IsAgreedFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException or CheckpointFormatException
            or Safetensors.SafetensorsFormatException or FormatException or OverflowException;

    /// <summary>Broadcasts the failed rank's error text to every rank.</summary>
    private static string Share(ICommunicator communicator, IMemoryBackend backend, int root, Exception? failure)
    {
        using NativeBuffer device = backend.Allocate(MessageBytes, MemoryLocation.Device);
        using NativeBuffer host = backend.Allocate(MessageBytes, MemoryLocation.Host);
        Span<byte> text = host.All.AsSpan<byte>();
        text.Clear();
        if (communicator.Rank == root)
        {
            byte[] message = Encoding.UTF8.GetBytes($"{failure!.GetType().Name}: {failure.Message}");
            int length = Math.Min(message.Length, MessageBytes - sizeof(int));
            BinaryPrimitives.WriteInt32LittleEndian(text, length);
            message.AsSpan(0, length).CopyTo(text[sizeof(int)..]);
        }

        backend.Copy(device.All, host.All);
        communicator.Broadcast(device.All, DType.Float32, root);
        backend.Copy(host.All, device.All);
        backend.DefaultStream.Synchronize();
        int received = Math.Clamp(BinaryPrimitives.ReadInt32LittleEndian(text), 0, MessageBytes - sizeof(int));
        return Encoding.UTF8.GetString(text.Slice(sizeof(int), received));
    }
}
