using Elixir.Interop;

namespace Elixir.Cuda;

/// <summary>
/// What a host wait needs from a communicator whose collectives may be queued on the stream it waits for: its
/// asynchronous error, a way to abort it, and words for the message. Tests stand in a fake for NCCL.
/// </summary>
internal interface ICollectiveWatch
{
    /// <summary>The communicator's rank, for messages.</summary>
    int Rank { get; }

    /// <summary>How long a wait may last before the communicator is aborted.</summary>
    TimeSpan Timeout { get; }

    /// <summary>The last collective queued (or the start-up call), described for messages.</summary>
    string PendingCollective { get; }

    /// <summary><c>ncclCommGetAsyncError</c>: <c>ncclSuccess</c>, <c>ncclInProgress</c> or the failure.</summary>
    ncclResult_t AsyncError();

    /// <summary><c>ncclCommAbort</c>: ends the communicator without waiting for peers; later calls do nothing.</summary>
    void Abort();
}
