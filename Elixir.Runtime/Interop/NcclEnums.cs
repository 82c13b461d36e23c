namespace Elixir.Interop;

/// <summary>
/// <c>ncclResult_t</c>, named as in <c>nccl.h</c> of NCCL 2.31 (<c>ncclTimeout</c> is new in 2.30). A newer NCCL may
/// return codes not listed here: they are failures all the same, and messages show their number.
/// </summary>
internal enum ncclResult_t
{
    ncclSuccess = 0,
    ncclUnhandledCudaError = 1,
    ncclSystemError = 2,
    ncclInternalError = 3,
    ncclInvalidArgument = 4,
    ncclInvalidUsage = 5,
    ncclRemoteError = 6,
    ncclInProgress = 7,
    ncclTimeout = 8,
}

/// <summary><c>ncclDataType_t</c>, named as in <c>nccl.h</c>.</summary>
internal enum ncclDataType_t
{
    ncclInt8 = 0,
    ncclUint8 = 1,
    ncclInt32 = 2,
    ncclUint32 = 3,
    ncclInt64 = 4,
    ncclUint64 = 5,
    ncclFloat16 = 6,
    ncclFloat32 = 7,
    ncclFloat64 = 8,
    ncclBfloat16 = 9,
    ncclFloat8e4m3 = 10,
    ncclFloat8e5m2 = 11,
}

/// <summary><c>ncclRedOp_t</c>, named as in <c>nccl.h</c>.</summary>
internal enum ncclRedOp_t
{
    ncclSum = 0,
    ncclProd = 1,
    ncclMax = 2,
    ncclMin = 3,
    ncclAvg = 4,
}
