namespace Elixir.Cuda;

/// <summary>A cuBLAS call failed.</summary>
public sealed class CublasException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="call">The failing call as written in the source, with the sizes it was given.</param>
    /// <param name="code">The numeric <c>cublasStatus_t</c>.</param>
    /// <param name="errorName">The <c>cublasStatus_t</c> name, such as <c>CUBLAS_STATUS_INVALID_VALUE</c>.</param>
    /// <param name="errorText">cuBLAS's description of the error.</param>
    public CublasException(string call, int code, string errorName, string errorText)
        : base($"{call} failed with {errorName} ({code}): {errorText}")
    {
        Call = call;
        Code = code;
        ErrorName = errorName;
        ErrorText = errorText;
    }

    /// <summary>The failing call.</summary>
    public string Call { get; }

    /// <summary>The numeric <c>cublasStatus_t</c>.</summary>
    public int Code { get; }

    /// <summary>The <c>cublasStatus_t</c> name.</summary>
    public string ErrorName { get; }

    /// <summary>cuBLAS's description of the error.</summary>
    public string ErrorText { get; }
}
