namespace Elixir.Memory.Host;

/// <summary>
/// The host backend runs every copy, kernel and collective synchronously on the calling thread, so its streams
/// have no queued work and its events are complete as soon as they are recorded.
/// </summary>
internal sealed class HostStream : IStream, IEvent
{
    public static readonly HostStream Instance = new();

    public bool IsComplete => true;

    public void Synchronize()
    {
    }

    public void Record(IEvent marker)
    {
    }

    public void Wait(IEvent marker)
    {
    }

    public void Dispose()
    {
    }
}
