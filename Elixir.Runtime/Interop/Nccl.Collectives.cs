using System.Runtime.InteropServices;

namespace Elixir.Interop;

internal static partial class Nccl
{
    /// <summary><c>ncclResult_t ncclAllGather(const void* sendbuff, void* recvbuff, size_t sendcount, ncclDataType_t datatype, ncclComm_t comm, cudaStream_t stream)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Nccl, EntryPoint = "ncclAllGather")]
    internal static partial ncclResult_t ncclAllGather(nint send, nint receive, nuint sendCount, ncclDataType_t type, nint communicator, nint stream);

    /// <summary><c>ncclResult_t ncclReduceScatter(const void* sendbuff, void* recvbuff, size_t recvcount, ncclDataType_t datatype, ncclRedOp_t op, ncclComm_t comm, cudaStream_t stream)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Nccl, EntryPoint = "ncclReduceScatter")]
    internal static partial ncclResult_t ncclReduceScatter(nint send, nint receive, nuint receiveCount, ncclDataType_t type, ncclRedOp_t op, nint communicator, nint stream);

    /// <summary><c>ncclResult_t ncclAllReduce(const void* sendbuff, void* recvbuff, size_t count, ncclDataType_t datatype, ncclRedOp_t op, ncclComm_t comm, cudaStream_t stream)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Nccl, EntryPoint = "ncclAllReduce")]
    internal static partial ncclResult_t ncclAllReduce(nint send, nint receive, nuint count, ncclDataType_t type, ncclRedOp_t op, nint communicator, nint stream);

    /// <summary><c>ncclResult_t ncclBroadcast(const void* sendbuff, void* recvbuff, size_t count, ncclDataType_t datatype, int root, ncclComm_t comm, cudaStream_t stream)</c>.</summary>
    [LibraryImport(NativeLibraryNames.Nccl, EntryPoint = "ncclBroadcast")]
    internal static partial ncclResult_t ncclBroadcast(nint send, nint receive, nuint count, ncclDataType_t type, int root, nint communicator, nint stream);
}
