namespace Elixir.Cuda;

/// <summary>A cuBLAS call failed; the status is a <c>cublasStatus_t</c>.</summary>
public sealed class CublasException : NativeCallException
{
    /// <summary>Creates the exception; see <see cref="NativeCallException"/> for the parameters.</summary>
    /// <param name="call">The failing call as written in the source.</param>
    /// <param name="code">The numeric status.</param>
    /// <param name="errorName">The status's C name.</param>
    /// <param name="errorText">The library's description of the error.</param>
    public CublasException(string call, int code, string errorName, string errorText)
        : base(call, code, errorName, errorText)
    {
    }
}
