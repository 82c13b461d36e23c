using Elixir.Cuda;
using Elixir.Interop;
using Elixir.Numerics;

namespace Elixir.Collectives.Nccl;

// Inside this namespace "Nccl" would name the namespace, not the bindings.
using Nccl = Elixir.Interop.Nccl;

/// <summary>
/// An NCCL communicator as a host wait sees it. It remembers the last collective queued as plain fields and
/// describes it only when a wait fails, so queuing a collective allocates nothing.
/// </summary>
internal sealed class NcclWatch(NcclCommunicatorHandle handle, int rank, TimeSpan timeout) : ICollectiveWatch
{
    private CollectiveFingerprint? _pending;

    public int Rank => rank;

    public TimeSpan Timeout { get; set; } = timeout;

    public string PendingCollective => _pending is { } call
        ? $"collective {call}"
        : "ncclCommInitRankConfig (communicator start-up)";

    internal void Queued(in CollectiveFingerprint call) => _pending = call;

    public ncclResult_t AsyncError()
    {
        if (handle.IsClosed)
        {
            return ncclResult_t.ncclInvalidUsage;
        }

        ncclResult_t status = Nccl.ncclCommGetAsyncError(handle.DangerousGetHandle(), out ncclResult_t asyncError);
        return status == ncclResult_t.ncclSuccess ? asyncError : status;
    }

    public void Abort() => handle.Abort();
}
