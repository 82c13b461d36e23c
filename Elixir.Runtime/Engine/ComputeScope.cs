namespace Elixir.Engine;

/// <summary>
/// A forward or backward computation of one module: while it is open the module's parameters (and, backward,
/// its gradients) are readable through the layout instances' views. Dispose it when the computation ends.
/// </summary>
public readonly struct ComputeScope : IDisposable
{
    private readonly TrainingEngine _engine;
    private readonly ComputeModule _module;
    private readonly bool _backward;

    internal ComputeScope(TrainingEngine engine, ComputeModule module, bool backward)
    {
        _engine = engine;
        _module = module;
        _backward = backward;
    }

    /// <summary>The module the scope computes.</summary>
    public ComputeModule Module => _module;

    /// <summary>
    /// Ends the computation: forward, the tensors go back to hold; backward, each tensor's gradient whose last
    /// use this was is written into its chunk, and chunks whose gradients are all in are reduce-scattered.
    /// </summary>
    public void Dispose() => _engine.EndScope(_module, _backward);
}
