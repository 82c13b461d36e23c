namespace Elixir.Cuda;

/// <summary>A point of queued GPU work the host can ask about without blocking (<c>cuEventQuery</c>).</summary>
internal interface ICompletion
{
    /// <summary>True once the work has finished.</summary>
    bool IsComplete { get; }
}
