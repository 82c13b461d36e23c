using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Elixir.Collectives.Nccl;
using Elixir.Cuda;

namespace Elixir.Interop;

/// <summary>Turns a failing <see cref="ncclResult_t"/> into an <see cref="NcclException"/> naming the call.</summary>
internal static class NcclStatus
{
    internal static void ThrowIfFailed(this ncclResult_t result, [CallerArgumentExpression(nameof(result))] string call = "")
    {
        if (result != ncclResult_t.ncclSuccess)
        {
            throw ToException(result, call);
        }
    }

    internal static NcclException ToException(ncclResult_t result, string call) =>
        new(call, (int)result, Enum.GetName(result) ?? $"ncclResult_t {(int)result}", Describe(result));

    private static string Describe(ncclResult_t result)
    {
        if (!NativeLibraries.Nccl.IsAvailable)
        {
            return "no description (NCCL is not loaded)";
        }

        nint text = Nccl.ncclGetErrorString(result);
        return text != 0 ? Marshal.PtrToStringUTF8(text) ?? string.Empty : "no description from NCCL";
    }
}
