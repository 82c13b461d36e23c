using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Elixir.Cuda;

namespace Elixir.Interop;

/// <summary>Turns a failing <see cref="CUresult"/> into a <see cref="CudaException"/> naming the call.</summary>
internal static class CudaStatus
{
    internal static void ThrowIfFailed(this CUresult result, [CallerArgumentExpression(nameof(result))] string call = "")
    {
        if (result != CUresult.CUDA_SUCCESS)
        {
            throw ToException(result, call);
        }
    }

    internal static CudaException ToException(CUresult result, string call) =>
        new(call, (int)result, Enum.GetName(result) ?? $"CUresult {(int)result}", Describe(result));

    private static string Describe(CUresult result)
    {
        if (!NativeLibraries.Cuda.IsAvailable)
        {
            return "no description (the CUDA driver is not loaded)";
        }

        return CudaDriver.cuGetErrorString(result, out nint text) == CUresult.CUDA_SUCCESS && text != 0
            ? Marshal.PtrToStringUTF8(text) ?? string.Empty
            : "no description from the driver";
    }
}
