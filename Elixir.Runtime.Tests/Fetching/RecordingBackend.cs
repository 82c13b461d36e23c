using Elixir.Memory;

namespace Elixir.Runtime.Tests.Fetching;

/// <summary>
/// A backend that only makes streams and events, which write what is asked of them to a shared log; enough to
/// check how the fetcher orders its streams. Nothing here allocates once created, unless a log is given.
/// </summary>
internal sealed class RecordingBackend(List<string>? log) : IMemoryBackend
{
    private int _streams;
    private int _events;

    public string Name => "recording";

    public IStream DefaultStream { get; } = new Stream("main", log);

    public int LiveBuffers => 0;

    public IStream CreateStream() => new Stream(++_streams == 1 ? "prefetch" : "reduce", log);

    public IEvent CreateEvent() => new Event((++_events) switch { 1 => "mainMark", 2 => "prefetchDone", _ => "reduceDone" });

    public MemoryCounters Counters { get; } = new("recording");

    public NativeBuffer Allocate(long byteLength, MemoryLocation location, MemoryCategory category = MemoryCategory.Other) =>
        throw new NotSupportedException();

    public void Copy(BufferSlice destination, BufferSlice source, IStream? stream = null) => throw new NotSupportedException();

    public void Fill(BufferSlice destination, byte value, IStream? stream = null) => throw new NotSupportedException();

    public long BytesAllocated(MemoryLocation location) => 0;

    public void Dispose()
    {
    }

    private sealed class Stream(string name, List<string>? log) : IStream
    {
        public void Synchronize() => log?.Add($"{name}.sync");

        public void Record(IEvent marker) => log?.Add($"{name}.record {marker}");

        public void Wait(IEvent marker) => log?.Add($"{name}.wait {marker}");

        public void Dispose()
        {
        }

        public override string ToString() => name;
    }

    private sealed class Event(string name) : IEvent
    {
        public bool IsComplete => true;

        public void Synchronize()
        {
        }

        public void Dispose()
        {
        }

        public override string ToString() => name;
    }
}
