using System.Runtime.CompilerServices;

namespace Elixir.Interop;

/// <summary><c>typedef struct { char internal[NCCL_UNIQUE_ID_BYTES]; } ncclUniqueId;</c> with NCCL_UNIQUE_ID_BYTES = 128.</summary>
[InlineArray(ByteCount)]
internal struct NcclUniqueId
{
    internal const int ByteCount = 128;

    private byte _first;
}
