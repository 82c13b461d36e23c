namespace Elixir.Collectives.Nccl;

/// <summary>An NCCL call failed, or a peer failed and the communicator was aborted.</summary>
public sealed class NcclException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="call">The failing call as written in the source.</param>
    /// <param name="code">The numeric <c>ncclResult_t</c>.</param>
    /// <param name="errorName">The <c>ncclResult_t</c> name, such as <c>ncclInvalidArgument</c>.</param>
    /// <param name="errorText">NCCL's description of the error.</param>
    public NcclException(string call, int code, string errorName, string errorText)
        : base($"{call} failed with {errorName} ({code}): {errorText}")
    {
        Call = call;
        Code = code;
        ErrorName = errorName;
        ErrorText = errorText;
    }

    /// <summary>The failing call as written in the source.</summary>
    public string Call { get; }

    /// <summary>The numeric <c>ncclResult_t</c>.</summary>
    public int Code { get; }

    /// <summary>The <c>ncclResult_t</c> name.</summary>
    public string ErrorName { get; }

    /// <summary>NCCL's description of the error.</summary>
    public string ErrorText { get; }
}
