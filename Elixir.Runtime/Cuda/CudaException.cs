namespace Elixir.Cuda;

/// <summary>A CUDA driver call failed. Carries the driver's error name and text and the call that returned it.</summary>
public sealed class CudaException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="call">The failing call as written in the source.</param>
    /// <param name="code">The numeric <c>CUresult</c>.</param>
    /// <param name="errorName">The <c>CUresult</c> name, such as <c>CUDA_ERROR_OUT_OF_MEMORY</c>.</param>
    /// <param name="errorText">The driver's description of the error.</param>
    public CudaException(string call, int code, string errorName, string errorText)
        : base($"{call} failed with {errorName} ({code}): {errorText}")
    {
        Call = call;
        Code = code;
        ErrorName = errorName;
        ErrorText = errorText;
    }

    /// <summary>The failing call as written in the source.</summary>
    public string Call { get; }

    /// <summary>The numeric <c>CUresult</c>.</summary>
    public int Code { get; }

    /// <summary>The <c>CUresult</c> name.</summary>
    public string ErrorName { get; }

    /// <summary>The driver's description of the error.</summary>
    public string ErrorText { get; }
}
