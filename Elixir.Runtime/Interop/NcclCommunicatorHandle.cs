using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Elixir.Interop;

/// <summary>
/// An <c>ncclComm_t</c>. A blocking communicator is released with <c>ncclCommDestroy</c>; a non-blocking one with
/// <c>ncclCommFinalize</c>, polled until the communicator is quiescent (up to <see cref="FinalizeTimeout"/>), then
/// <c>ncclCommDestroy</c>; either with <c>ncclCommAbort</c> once a peer has failed or the finalize does not finish.
/// </summary>
internal sealed class NcclCommunicatorHandle : SafeHandle
{
    private readonly bool _nonBlocking;
    private volatile bool _aborting;

    internal NcclCommunicatorHandle(nint communicator, bool nonBlocking)
        : base(0, ownsHandle: true)
    {
        _nonBlocking = nonBlocking;
        SetHandle(communicator);
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>How long a release waits for in-flight work before it aborts instead.</summary>
    internal TimeSpan FinalizeTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Releases with <c>ncclCommAbort</c>, which does not wait for peers that may never come.</summary>
    internal void Abort()
    {
        _aborting = true;
        Dispose();
    }

    protected override bool ReleaseHandle()
    {
        if (!_aborting && (!_nonBlocking || Finalized()))
        {
            return Nccl.ncclCommDestroy(handle) == ncclResult_t.ncclSuccess;
        }

        return Nccl.ncclCommAbort(handle) == ncclResult_t.ncclSuccess;
    }

    private bool Finalized()
    {
        if (Nccl.ncclCommFinalize(handle) is not (ncclResult_t.ncclSuccess or ncclResult_t.ncclInProgress))
        {
            return false;
        }

        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < FinalizeTimeout)
        {
            if (Nccl.ncclCommGetAsyncError(handle, out ncclResult_t state) != ncclResult_t.ncclSuccess)
            {
                return false;
            }

            if (state != ncclResult_t.ncclInProgress)
            {
                return state == ncclResult_t.ncclSuccess;
            }

            Thread.Sleep(1);
        }

        return false;
    }
}
