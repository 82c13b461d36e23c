using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Elixir.Cuda;

namespace Elixir.Interop;

/// <summary>Turns a failing <see cref="cublasStatus_t"/> into a <see cref="CublasException"/> naming the call.</summary>
internal static class CublasStatus
{
    internal static void ThrowIfFailed(this cublasStatus_t status, [CallerArgumentExpression(nameof(status))] string call = "")
    {
        if (status != cublasStatus_t.CUBLAS_STATUS_SUCCESS)
        {
            throw ToException(status, call);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static CublasException ToException(cublasStatus_t status, string call) =>
        new(call, (int)status, Enum.GetName(status) ?? $"cublasStatus_t {(int)status}", Describe(status));

    private static string Describe(cublasStatus_t status)
    {
        if (!NativeLibraries.Cublas.IsAvailable)
        {
            return "no description (cuBLAS is not loaded)";
        }

        nint text = Cublas.cublasGetStatusString(status);
        return text != 0 ? Marshal.PtrToStringUTF8(text) ?? string.Empty : "no description from cuBLAS";
    }
}
