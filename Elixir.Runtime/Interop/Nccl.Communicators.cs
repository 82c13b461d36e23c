using System.Runtime.InteropServices;

namespace Elixir.Interop;

internal static partial class Nccl
{
    /// <summary><c>ncclResult_t ncclGetUniqueId(ncclUniqueId* uniqueId)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Nccl, EntryPoint = "ncclGetUniqueId")]
    internal static partial ncclResult_t ncclGetUniqueId(out NcclUniqueId uniqueId);

    /// <summary>
    /// <c>ncclResult_t ncclCommInitRankConfig(ncclComm_t* comm, int nranks, ncclUniqueId commId, int rank, ncclConfig_t* config)</c>;
    /// the id is passed by value. With <c>config->blocking = 0</c> it returns at once (<c>ncclInProgress</c>) and the
    /// caller polls <c>ncclCommGetAsyncError</c>, so a peer that never arrives cannot block the thread.
    /// </summary>
    [LibraryImport(NativeLibraryNames.Nccl, EntryPoint = "ncclCommInitRankConfig")]
    internal static unsafe partial ncclResult_t ncclCommInitRankConfig(out nint communicator, int rankCount, NcclUniqueId uniqueId, int rank, ncclConfig_t* config);

    /// <summary><c>ncclResult_t ncclCommInitAll(ncclComm_t* comm, int ndev, const int* devlist)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Nccl, EntryPoint = "ncclCommInitAll")]
    internal static unsafe partial ncclResult_t ncclCommInitAll(nint* communicators, int deviceCount, int* devices);

    /// <summary><c>ncclResult_t ncclCommFinalize(ncclComm_t comm)</c>: flushes issued work; on a non-blocking communicator it returns <c>ncclInProgress</c> until done.</summary>
    [LibraryImport(NativeLibraryNames.Nccl, EntryPoint = "ncclCommFinalize")]
    internal static partial ncclResult_t ncclCommFinalize(nint communicator);

    /// <summary><c>ncclResult_t ncclCommDestroy(ncclComm_t comm)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Nccl, EntryPoint = "ncclCommDestroy")]
    internal static partial ncclResult_t ncclCommDestroy(nint communicator);

    /// <summary><c>ncclResult_t ncclCommAbort(ncclComm_t comm)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Nccl, EntryPoint = "ncclCommAbort")]
    internal static partial ncclResult_t ncclCommAbort(nint communicator);

    /// <summary><c>ncclResult_t ncclCommGetAsyncError(ncclComm_t comm, ncclResult_t *asyncError)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Nccl, EntryPoint = "ncclCommGetAsyncError")]
    internal static partial ncclResult_t ncclCommGetAsyncError(nint communicator, out ncclResult_t asyncError);
}
