using System.Runtime.InteropServices;

namespace Elixir.Interop;

/// <summary>An <c>ncclComm_t</c>. Released with <c>ncclCommDestroy</c>, or <c>ncclCommAbort</c> once a peer has failed.</summary>
internal sealed class NcclCommunicatorHandle : SafeHandle
{
    private volatile bool aborting;

    internal NcclCommunicatorHandle(nint communicator)
        : base(0, ownsHandle: true) => SetHandle(communicator);

    public override bool IsInvalid => handle == 0;

    /// <summary>Releases with <c>ncclCommAbort</c>, which does not wait for peers that may never come.</summary>
    internal void Abort()
    {
        aborting = true;
        Dispose();
    }

    protected override bool ReleaseHandle() =>
        (aborting ? Nccl.ncclCommAbort(handle) : Nccl.ncclCommDestroy(handle)) == ncclResult_t.ncclSuccess;
}
