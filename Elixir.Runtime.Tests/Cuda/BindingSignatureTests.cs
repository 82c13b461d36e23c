using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Elixir.Collectives;
using Elixir.Collectives.Nccl;
using Elixir.Cuda;
using Elixir.Interop;
using Elixir.Numerics;

namespace Elixir.Runtime.Tests.Cuda;

/// <summary>
/// Pins every <c>[LibraryImport]</c> binding to the prototype in <c>cuda.h</c> (CUDA 12.6/13.0) or <c>nccl.h</c>
/// (<c>src/nccl.h.in</c>), checked line by line: the exported symbol (the <c>_v2</c> name <c>cuda.h</c> #defines the
/// plain one to), and each parameter's width. C types map as: <c>CUresult</c>, <c>ncclResult_t</c> and the other
/// enums are 4-byte enums; <c>CUdevice</c> and <c>int</c> are <c>int</c>; <c>unsigned int</c> is <c>uint</c>;
/// <c>size_t</c> is <c>nuint</c>; <c>CUdeviceptr</c> (unsigned long long) is <c>ulong</c>; handles
/// (<c>CUcontext</c>, <c>CUstream</c>, <c>CUevent</c>, <c>CUmodule</c>, <c>CUfunction</c>, <c>ncclComm_t</c>,
/// <c>cudaStream_t</c>) and host pointers are <c>nint</c>; <c>X*</c> outputs are <c>out X</c>. Runs without a GPU.
/// A binding added without an entry here fails, so each new one gets the same check.
/// </summary>
public sealed class BindingSignatureTests
{
    private static readonly Dictionary<string, string> Expected = new()
    {
        // CUresult cuInit(unsigned int Flags)
        ["cuInit"] = "CUresult(uint)",
        // CUresult cuDriverGetVersion(int *driverVersion)
        ["cuDriverGetVersion"] = "CUresult(out int)",
        // CUresult cuDeviceGetCount(int *count)
        ["cuDeviceGetCount"] = "CUresult(out int)",
        // CUresult cuDeviceGet(CUdevice *device, int ordinal)
        ["cuDeviceGet"] = "CUresult(out int, int)",
        // CUresult cuDeviceGetName(char *name, int len, CUdevice dev)
        ["cuDeviceGetName"] = "CUresult(byte*, int, int)",
        // CUresult cuDeviceGetAttribute(int *pi, CUdevice_attribute attrib, CUdevice dev)
        ["cuDeviceGetAttribute"] = "CUresult(out int, CUdevice_attribute, int)",
        // #define cuDeviceTotalMem cuDeviceTotalMem_v2; CUresult cuDeviceTotalMem(size_t *bytes, CUdevice dev)
        ["cuDeviceTotalMem_v2"] = "CUresult(out nuint, int)",
        // CUresult cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev)
        ["cuDevicePrimaryCtxRetain"] = "CUresult(out nint, int)",
        // #define cuDevicePrimaryCtxRelease cuDevicePrimaryCtxRelease_v2; CUresult cuDevicePrimaryCtxRelease(CUdevice dev)
        ["cuDevicePrimaryCtxRelease_v2"] = "CUresult(int)",
        // CUresult cuCtxSetCurrent(CUcontext ctx)
        ["cuCtxSetCurrent"] = "CUresult(nint)",
        // #define cuMemAlloc cuMemAlloc_v2; CUresult cuMemAlloc(CUdeviceptr *dptr, size_t bytesize)
        ["cuMemAlloc_v2"] = "CUresult(out ulong, nuint)",
        // #define cuMemFree cuMemFree_v2; CUresult cuMemFree(CUdeviceptr dptr)
        ["cuMemFree_v2"] = "CUresult(ulong)",
        // CUresult cuMemHostAlloc(void **pp, size_t bytesize, unsigned int Flags)
        ["cuMemHostAlloc"] = "CUresult(out nint, nuint, uint)",
        // CUresult cuMemFreeHost(void *p)
        ["cuMemFreeHost"] = "CUresult(nint)",
        // #define cuMemGetInfo cuMemGetInfo_v2; CUresult cuMemGetInfo(size_t *free, size_t *total)
        ["cuMemGetInfo_v2"] = "CUresult(out nuint, out nuint)",
        // CUresult cuMemcpyHtoDAsync(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount, CUstream hStream)
        ["cuMemcpyHtoDAsync_v2"] = "CUresult(ulong, nint, nuint, nint)",
        // CUresult cuMemcpyDtoHAsync(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
        ["cuMemcpyDtoHAsync_v2"] = "CUresult(nint, ulong, nuint, nint)",
        // CUresult cuMemcpyDtoDAsync(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)
        ["cuMemcpyDtoDAsync_v2"] = "CUresult(ulong, ulong, nuint, nint)",
        // CUresult cuMemcpyAsync(CUdeviceptr dst, CUdeviceptr src, size_t ByteCount, CUstream hStream) (no _v2)
        ["cuMemcpyAsync"] = "CUresult(ulong, ulong, nuint, nint)",
        // CUresult cuMemsetD8Async(CUdeviceptr dstDevice, unsigned char uc, size_t N, CUstream hStream) (no _v2)
        ["cuMemsetD8Async"] = "CUresult(ulong, byte, nuint, nint)",
        // CUresult cuMemcpyHtoD(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount)
        ["cuMemcpyHtoD_v2"] = "CUresult(ulong, nint, nuint)",
        // CUresult cuMemcpyDtoH(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount)
        ["cuMemcpyDtoH_v2"] = "CUresult(nint, ulong, nuint)",
        // CUresult cuStreamCreate(CUstream *phStream, unsigned int Flags)
        ["cuStreamCreate"] = "CUresult(out nint, uint)",
        // #define cuStreamDestroy cuStreamDestroy_v2; CUresult cuStreamDestroy(CUstream hStream)
        ["cuStreamDestroy_v2"] = "CUresult(nint)",
        // CUresult cuStreamWaitEvent(CUstream hStream, CUevent hEvent, unsigned int Flags)
        ["cuStreamWaitEvent"] = "CUresult(nint, nint, uint)",
        // CUresult cuEventCreate(CUevent *phEvent, unsigned int Flags)
        ["cuEventCreate"] = "CUresult(out nint, uint)",
        // #define cuEventDestroy cuEventDestroy_v2; CUresult cuEventDestroy(CUevent hEvent)
        ["cuEventDestroy_v2"] = "CUresult(nint)",
        // CUresult cuEventRecord(CUevent hEvent, CUstream hStream)
        ["cuEventRecord"] = "CUresult(nint, nint)",
        // CUresult cuEventQuery(CUevent hEvent)
        ["cuEventQuery"] = "CUresult(nint)",
        // CUresult cuEventSynchronize(CUevent hEvent)
        ["cuEventSynchronize"] = "CUresult(nint)",
        // CUresult cuEventElapsedTime(float *pMilliseconds, CUevent hStart, CUevent hEnd): _v2 from 12.8, the original before
        ["cuEventElapsedTime_v2"] = "CUresult(out float, nint, nint)",
        ["cuEventElapsedTime"] = "CUresult(out float, nint, nint)",
        // CUresult cuModuleLoadData(CUmodule *module, const void *image)
        ["cuModuleLoadData"] = "CUresult(out nint, byte*)",
        // CUresult cuModuleUnload(CUmodule hmod)
        ["cuModuleUnload"] = "CUresult(nint)",
        // CUresult cuModuleGetFunction(CUfunction *hfunc, CUmodule hmod, const char *name)
        ["cuModuleGetFunction"] = "CUresult(out nint, nint, string)",
        // CUresult cuLaunchKernel(CUfunction f, unsigned int gridDimX, gridDimY, gridDimZ, blockDimX, blockDimY, blockDimZ,
        //                         unsigned int sharedMemBytes, CUstream hStream, void **kernelParams, void **extra)
        ["cuLaunchKernel"] = "CUresult(nint, uint, uint, uint, uint, uint, uint, uint, nint, void**, void**)",
        // CUresult cuGetErrorName(CUresult error, const char **pStr)
        ["cuGetErrorName"] = "CUresult(CUresult, out nint)",
        // CUresult cuGetErrorString(CUresult error, const char **pStr)
        ["cuGetErrorString"] = "CUresult(CUresult, out nint)",

        // ncclResult_t ncclGetVersion(int *version)
        ["ncclGetVersion"] = "ncclResult_t(out int)",
        // const char* ncclGetErrorString(ncclResult_t result)
        ["ncclGetErrorString"] = "nint(ncclResult_t)",
        // ncclResult_t ncclGetUniqueId(ncclUniqueId* uniqueId)
        ["ncclGetUniqueId"] = "ncclResult_t(out NcclUniqueId)",
        // ncclResult_t ncclCommInitRankConfig(ncclComm_t* comm, int nranks, ncclUniqueId commId, int rank, ncclConfig_t* config): the id by value
        ["ncclCommInitRankConfig"] = "ncclResult_t(out nint, int, NcclUniqueId, int, ncclConfig_t*)",
        // ncclResult_t ncclCommInitAll(ncclComm_t* comm, int ndev, const int* devlist)
        ["ncclCommInitAll"] = "ncclResult_t(nint*, int, int*)",
        // ncclResult_t ncclCommFinalize(ncclComm_t comm)
        ["ncclCommFinalize"] = "ncclResult_t(nint)",
        // ncclResult_t ncclCommDestroy(ncclComm_t comm)
        ["ncclCommDestroy"] = "ncclResult_t(nint)",
        // ncclResult_t ncclCommAbort(ncclComm_t comm)
        ["ncclCommAbort"] = "ncclResult_t(nint)",
        // ncclResult_t ncclCommGetAsyncError(ncclComm_t comm, ncclResult_t *asyncError)
        ["ncclCommGetAsyncError"] = "ncclResult_t(nint, out ncclResult_t)",
        // ncclResult_t ncclAllGather(const void* sendbuff, void* recvbuff, size_t sendcount, ncclDataType_t datatype, ncclComm_t comm, cudaStream_t stream)
        ["ncclAllGather"] = "ncclResult_t(nint, nint, nuint, ncclDataType_t, nint, nint)",
        // ncclResult_t ncclReduceScatter(const void* sendbuff, void* recvbuff, size_t recvcount, ncclDataType_t datatype, ncclRedOp_t op, ncclComm_t comm, cudaStream_t stream)
        ["ncclReduceScatter"] = "ncclResult_t(nint, nint, nuint, ncclDataType_t, ncclRedOp_t, nint, nint)",
        // ncclResult_t ncclAllReduce(const void* sendbuff, void* recvbuff, size_t count, ncclDataType_t datatype, ncclRedOp_t op, ncclComm_t comm, cudaStream_t stream)
        ["ncclAllReduce"] = "ncclResult_t(nint, nint, nuint, ncclDataType_t, ncclRedOp_t, nint, nint)",
        // ncclResult_t ncclBroadcast(const void* sendbuff, void* recvbuff, size_t count, ncclDataType_t datatype, int root, ncclComm_t comm, cudaStream_t stream)
        ["ncclBroadcast"] = "ncclResult_t(nint, nint, nuint, ncclDataType_t, int, nint, nint)",
    };

    private static IEnumerable<(MethodInfo Method, LibraryImportAttribute Import)> Bindings() =>
        from type in new[] { typeof(CudaDriver), typeof(Nccl) }
        from method in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
        let import = method.GetCustomAttribute<LibraryImportAttribute>()
        where import is not null
        select (method, import);

    [Fact]
    public void Every_binding_matches_its_header_prototype()
    {
        var actual = Bindings().ToDictionary(b => b.Import.EntryPoint ?? b.Method.Name, b => Signature(b.Method));

        Assert.Equal(Expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Driver_bindings_import_from_libcuda_and_nccl_bindings_from_libnccl()
    {
        foreach ((MethodInfo method, LibraryImportAttribute import) in Bindings())
        {
            string expected = method.DeclaringType == typeof(CudaDriver) ? "libcuda.so.1" : "libnccl.so.2";
            Assert.True(import.LibraryName == expected, $"{import.EntryPoint} imports from {import.LibraryName}, not {expected}.");
        }
    }

    [Fact]
    public void Kernel_names_are_passed_as_nul_terminated_utf8()
    {
        LibraryImportAttribute import = Bindings().Single(b => b.Import.EntryPoint == "cuModuleGetFunction").Import;

        Assert.Equal(StringMarshalling.Utf8, import.StringMarshalling);
    }

    [Theory]
    [InlineData(typeof(CUresult))]
    [InlineData(typeof(CUdevice_attribute))]
    [InlineData(typeof(ncclResult_t))]
    [InlineData(typeof(ncclDataType_t))]
    [InlineData(typeof(ncclRedOp_t))]
    public void C_enums_are_four_byte_integers(Type type)
    {
        Assert.Equal(typeof(int), Enum.GetUnderlyingType(type));
    }

    [Fact]
    public void The_nccl_unique_id_is_128_bytes_in_managed_and_native_layout()
    {
        Assert.Equal(128, NcclUniqueId.ByteCount);
        Assert.Equal(128, Unsafe.SizeOf<NcclUniqueId>());
        Assert.Equal(128, Marshal.SizeOf<NcclUniqueId>());
    }

    // struct ncclConfig_v23100 in nccl.h (NCCL 2.31): offsets as a C compiler lays it out on x86-64 Linux
    // (size_t and pointers 8 bytes, int 4), read off the header field by field.
    private static readonly (string Field, int Offset)[] ConfigLayout =
    [
        ("size", 0), ("magic", 8), ("version", 12), ("blocking", 16), ("cgaClusterSize", 20), ("minCTAs", 24),
        ("maxCTAs", 28), ("netName", 32), ("splitShare", 40), ("trafficClass", 44), ("commName", 48),
        ("collnetEnable", 56), ("CTAPolicy", 60), ("shrinkShare", 64), ("nvlsCTAs", 68), ("nChannelsPerNetPeer", 72),
        ("nvlinkCentricSched", 76), ("graphUsageMode", 80), ("numRmaCtx", 84), ("maxP2pPeers", 88),
        ("graphStreamOrdering", 92), ("launchOrderImplicit", 96), ("numRmaSig", 100), ("rmaEagerInit", 104),
        ("hostCftMode", 108), ("nvlsHostMode", 112),
    ];

    public static TheoryData<string, int> ConfigOffsets => [.. ConfigLayout];

    [Theory]
    [MemberData(nameof(ConfigOffsets))]
    public void The_nccl_config_mirrors_nccl_h_field_for_field(string field, int offset)
    {
        Assert.Equal(offset, (int)Marshal.OffsetOf<ncclConfig_t>(field));
    }

    [Fact]
    public void The_nccl_config_has_the_header_size_field_order_and_initializer()
    {
        string[] fields = [.. typeof(ncclConfig_t).GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Select(f => f.Name)];
        ncclConfig_t config = ncclConfig_t.Initializer();

        Assert.Equal(ConfigLayout.Select(row => row.Field), fields);
        Assert.Equal(120, Unsafe.SizeOf<ncclConfig_t>());
        Assert.Equal(120u, (uint)config.size);
        Assert.Equal(0xcafebeefu, config.magic);
        Assert.Equal(23100u, config.version);
        Assert.Equal(int.MinValue, config.blocking);
        Assert.Equal(int.MinValue, config.nvlsHostMode);
    }

    [Fact]
    public void Nccl_enum_values_are_those_of_nccl_h()
    {
        Assert.Equal(
            [(0, "ncclSuccess"), (1, "ncclUnhandledCudaError"), (2, "ncclSystemError"), (3, "ncclInternalError"), (4, "ncclInvalidArgument"),
             (5, "ncclInvalidUsage"), (6, "ncclRemoteError"), (7, "ncclInProgress"), (8, "ncclTimeout")],
            Values<ncclResult_t>());
        Assert.Equal(
            [(0, "ncclInt8"), (1, "ncclUint8"), (2, "ncclInt32"), (3, "ncclUint32"), (4, "ncclInt64"), (5, "ncclUint64"),
             (6, "ncclFloat16"), (7, "ncclFloat32"), (8, "ncclFloat64"), (9, "ncclBfloat16"), (10, "ncclFloat8e4m3"), (11, "ncclFloat8e5m2")],
            Values<ncclDataType_t>());
        Assert.Equal([(0, "ncclSum"), (1, "ncclProd"), (2, "ncclMax"), (3, "ncclMin"), (4, "ncclAvg")], Values<ncclRedOp_t>());
    }

    [Theory]
    [InlineData(DType.Float32, 7)]
    [InlineData(DType.Float16, 6)]
    [InlineData(DType.BFloat16, 9)]
    public void Element_types_map_to_the_nccl_data_type_numbers(DType type, int expected)
    {
        Assert.Equal(expected, (int)NcclCommunicator.DataType(type));
    }

    [Theory]
    [InlineData(ReduceOp.Sum, 0)]
    [InlineData(ReduceOp.Max, 2)]
    [InlineData(ReduceOp.Average, 4)]
    public void Reductions_map_to_the_nccl_operation_numbers(ReduceOp op, int expected)
    {
        Assert.Equal(expected, (int)NcclCommunicator.Operation(op));
    }

    [Fact]
    public void Driver_values_the_runtime_passes_are_those_of_cuda_h()
    {
        Assert.Equal(16, (int)CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        Assert.Equal(33, (int)CUdevice_attribute.CU_DEVICE_ATTRIBUTE_PCI_BUS_ID);
        Assert.Equal(75, (int)CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        Assert.Equal(76, (int)CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        Assert.Equal(0x0u, CudaDriver.CU_EVENT_DEFAULT);
        Assert.Equal(0x2u, CudaDriver.CU_EVENT_DISABLE_TIMING);
        Assert.Equal(0x1u, CudaDriver.CU_STREAM_NON_BLOCKING);
        Assert.Equal(0x01u, CudaDriver.CU_MEMHOSTALLOC_PORTABLE);
        Assert.Equal(0x02u, CudaDriver.CU_MEMHOSTALLOC_DEVICEMAP);
        Assert.Equal(0, (int)CUresult.CUDA_SUCCESS);
        Assert.Equal(600, (int)CUresult.CUDA_ERROR_NOT_READY);
        Assert.Equal(222, (int)CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION);
        Assert.Equal(34, (int)CUresult.CUDA_ERROR_STUB_LIBRARY);
    }

    [Theory]
    [InlineData(12040, false)]
    [InlineData(12060, false)]
    [InlineData(12080, true)]
    [InlineData(13000, true)]
    public void Elapsed_time_uses_the_v2_entry_point_only_where_the_driver_exports_it(int driverVersion, bool v2)
    {
        Assert.Equal(v2, CudaDriver.UsesEventElapsedTimeV2(driverVersion));
    }

    private static List<(int, string)> Values<T>()
        where T : struct, Enum =>
        [.. Enum.GetValues<T>().Select(value => (Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture), value.ToString()))];

    private static string Signature(MethodInfo method) =>
        $"{Name(method.ReturnParameter)}({string.Join(", ", method.GetParameters().Select(Name))})";

    private static string Name(ParameterInfo parameter)
    {
        Type type = parameter.ParameterType;
        return type.IsByRef ? (parameter.IsOut ? "out " : "ref ") + Name(type.GetElementType()!) : Name(type);
    }

    private static string Name(Type type) =>
        type.IsPointer ? Name(type.GetElementType()!) + "*"
        : type == typeof(nint) ? "nint"
        : type == typeof(nuint) ? "nuint"
        : type == typeof(ulong) ? "ulong"
        : type == typeof(int) ? "int"
        : type == typeof(uint) ? "uint"
        : type == typeof(byte) ? "byte"
        : type == typeof(float) ? "float"
        : type == typeof(void) ? "void"
        : type == typeof(string) ? "string"
        : type.Name;
}
