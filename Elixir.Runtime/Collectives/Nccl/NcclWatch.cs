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
    private string _kind = "ncclCommInitRankConfig";
    private DType _type;
    private ReduceOp _op;
    private long _elements, _sequence = -1;
    private int _root;

    public int Rank => rank;

    public TimeSpan Timeout { get; set; } = timeout;

    public string PendingCollective => _sequence < 0
        ? $"{_kind} (communicator start-up)"
        : $"collective #{_sequence}, {NcclCollectiveFingerprint.Describe(_kind, _type, _op, _elements, _root)}";

    internal void Queued(string collective, DType elementType, ReduceOp reduction, long count, int rootRank, long call)
    {
        _kind = collective;
        _type = elementType;
        _op = reduction;
        _elements = count;
        _root = rootRank;
        _sequence = call;
    }

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
