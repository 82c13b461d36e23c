using System.Runtime.InteropServices;

namespace Elixir.Interop;

internal static partial class Nccl
{
    /// <summary><c>ncclResult_t ncclGetUniqueId(ncclUniqueId* uniqueId)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Nccl, EntryPoint = "ncclGetUniqueId")]
    internal static partial ncclResult_t ncclGetUniqueId(out NcclUniqueId uniqueId);

    /// <summary><c>ncclResult_t ncclCommInitRank(ncclComm_t* comm, int nranks, ncclUniqueId commId, int rank)</c>; the id is passed by value.</summary>
    [LibraryImport(NativeLibraryNames.Nccl, EntryPoint = "ncclCommInitRank")]
    internal static partial ncclResult_t ncclCommInitRank(out nint communicator, int rankCount, NcclUniqueId uniqueId, int rank);

    /// <summary><c>ncclResult_t ncclCommInitAll(ncclComm_t* comm, int ndev, const int* devlist)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Nccl, EntryPoint = "ncclCommInitAll")]
    internal static unsafe partial ncclResult_t ncclCommInitAll(nint* communicators, int deviceCount, int* devices);

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
