namespace Elixir.Memory;

/// <summary>
/// An ordered queue of copies, kernels and collectives. The host backend runs everything synchronously, so its
/// streams and events are always complete; the CUDA backend maps them to CUDA streams and events. The fetcher
/// uses the same calls on both, which is what lets prefetch and reduce overlap on a GPU.
/// </summary>
public interface IStream : IDisposable
{
    /// <summary>Blocks until all work queued on the stream has finished.</summary>
    void Synchronize();

    /// <summary>Records <paramref name="marker"/> at the current end of the stream.</summary>
    void Record(IEvent marker);

    /// <summary>Makes later work on this stream wait until <paramref name="marker"/> has completed.</summary>
    void Wait(IEvent marker);
}

/// <summary>A point in a stream's work that other streams and the host can wait on.</summary>
public interface IEvent : IDisposable
{
    /// <summary>True when all work before the recorded point has finished.</summary>
    bool IsComplete { get; }

    /// <summary>Blocks the calling thread until the event has completed.</summary>
    void Synchronize();
}
