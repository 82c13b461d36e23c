using Elixir.Cuda;

namespace Elixir.Collectives.Nccl;

/// <summary>An NCCL call failed, or a peer failed and the communicator was aborted; the status is an <c>ncclResult_t</c>.</summary>
public sealed class NcclException : NativeCallException
{
    /// <summary>Creates the exception; see <see cref="NativeCallException"/> for the parameters.</summary>
    /// <param name="call">The failing call as written in the source.</param>
    /// <param name="code">The numeric status.</param>
    /// <param name="errorName">The status's C name.</param>
    /// <param name="errorText">The library's description of the error.</param>
    public NcclException(string call, int code, string errorName, string errorText)
        : base(call, code, errorName, errorText)
    {
    }
}
