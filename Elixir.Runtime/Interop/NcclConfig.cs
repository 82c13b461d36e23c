using System.Runtime.InteropServices;

namespace Elixir.Interop;

/// <summary>
/// <c>ncclConfig_t</c> (<c>struct ncclConfig_v23100</c> in <c>nccl.h</c> of NCCL 2.31), field for field. NCCL reads
/// <c>min(size, its own sizeof)</c> bytes and resets fields newer than <see cref="version"/> to their defaults, and
/// fields are only ever appended, so one layout serves older and newer libraries alike. The fields keep the C names
/// (public in an internal struct, so the private-field naming does not apply).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ncclConfig_t
{
    /// <summary><c>NCCL_API_MAGIC</c>: NCCL refuses a config not made by <c>NCCL_CONFIG_INITIALIZER</c>.</summary>
    internal const uint ApiMagic = 0xcafebeef;

    /// <summary><c>NCCL_CONFIG_UNDEF_INT</c> (<c>INT_MIN</c>): NCCL's default for the field.</summary>
    internal const int UndefinedInt = int.MinValue;

    /// <summary><c>NCCL_VERSION(2, 31, 0)</c>, the header revision this layout mirrors.</summary>
    internal const uint HeaderVersion = 23100;

    public nuint size;
    public uint magic;
    public uint version;
    public int blocking;
    public int cgaClusterSize;
    public int minCTAs;
    public int maxCTAs;
    public nint netName;
    public int splitShare;
    public int trafficClass;
    public nint commName;
    public int collnetEnable;
    internal int CTAPolicy;
    public int shrinkShare;
    public int nvlsCTAs;
    public int nChannelsPerNetPeer;
    public int nvlinkCentricSched;
    public int graphUsageMode;
    public int numRmaCtx;
    public int maxP2pPeers;
    public int graphStreamOrdering;
    public int launchOrderImplicit;
    public int numRmaSig;
    public int rmaEagerInit;
    public int hostCftMode;
    public int nvlsHostMode;

    /// <summary><c>NCCL_CONFIG_INITIALIZER</c>: every customisable field left to NCCL.</summary>
    internal static unsafe ncclConfig_t Initializer() => new()
    {
        size = (nuint)sizeof(ncclConfig_t),
        magic = ApiMagic,
        version = HeaderVersion,
        blocking = UndefinedInt,
        cgaClusterSize = UndefinedInt,
        minCTAs = UndefinedInt,
        maxCTAs = UndefinedInt,
        netName = 0,
        splitShare = UndefinedInt,
        trafficClass = UndefinedInt,
        commName = 0,
        collnetEnable = UndefinedInt,
        CTAPolicy = UndefinedInt,
        shrinkShare = UndefinedInt,
        nvlsCTAs = UndefinedInt,
        nChannelsPerNetPeer = UndefinedInt,
        nvlinkCentricSched = UndefinedInt,
        graphUsageMode = UndefinedInt,
        numRmaCtx = UndefinedInt,
        maxP2pPeers = UndefinedInt,
        graphStreamOrdering = UndefinedInt,
        launchOrderImplicit = UndefinedInt,
        numRmaSig = UndefinedInt,
        rmaEagerInit = UndefinedInt,
        hostCftMode = UndefinedInt,
        nvlsHostMode = UndefinedInt,
    };
}
