namespace Elixir.Cuda;

/// <summary>
/// A call into a native GPU library (the CUDA driver, NCCL, cuBLAS) returned an error status. Catch this type to
/// handle any of them; the derived types say which library failed.
/// </summary>
public abstract class NativeCallException : Exception
{
    /// <summary>Creates the exception; the message names the call, the status and the library's text.</summary>
    /// <param name="call">The failing call as written in the source, with the arguments that identify it.</param>
    /// <param name="code">The numeric status the library returned.</param>
    /// <param name="errorName">The status's C name, such as <c>CUDA_ERROR_OUT_OF_MEMORY</c>.</param>
    /// <param name="errorText">The library's description of the error.</param>
    protected NativeCallException(string call, int code, string errorName, string errorText)
        : base($"{call} failed with {errorName} ({code}): {errorText}")
    {
        Call = call;
        Code = code;
        ErrorName = errorName;
        ErrorText = errorText;
    }

    /// <summary>The failing call as written in the source.</summary>
    public string Call { get; }

    /// <summary>The numeric status the library returned.</summary>
    public int Code { get; }

    /// <summary>The status's C name.</summary>
    public string ErrorName { get; }

    /// <summary>The library's description of the error.</summary>
    public string ErrorText { get; }
}
