using Elixir.Memory;

namespace Elixir.Runtime.Tests.Streams;

/// <summary>
/// A backend over another one (the host backend, whose copies are synchronous) that logs the stream of every copy
/// and fill. Its default stream is <see cref="StreamLog.Main"/>; the streams it creates take
/// <paramref name="sideStreams"/> in order. Buffers belong to the inner backend, which outlives this one.
/// </summary>
internal sealed class StreamRecordingBackend(IMemoryBackend inner, StreamLog log, params string[] sideStreams) : IMemoryBackend
{
    private int _created;

    public string Name => $"recording {inner.Name}";

    public IStream DefaultStream { get; } = new NamedStream(StreamLog.Main);

    public int LiveBuffers => inner.LiveBuffers;

    public MemoryCounters Counters => inner.Counters;

    public NativeBuffer Allocate(long byteLength, MemoryLocation location, MemoryCategory category = MemoryCategory.Other) =>
        inner.Allocate(byteLength, location, category);

    public void Copy(BufferSlice destination, BufferSlice source, IStream? stream = null)
    {
        log.Add("copy", stream, destination, source);
        inner.Copy(destination, source);
    }

    public void Fill(BufferSlice destination, byte value, IStream? stream = null)
    {
        log.Add("fill", stream, destination, destination);
        inner.Fill(destination, value);
    }

    public IStream CreateStream() => new NamedStream(sideStreams[_created++]);

    public IEvent CreateEvent() => new NamedStream("event");

    public long BytesAllocated(MemoryLocation location) => inner.BytesAllocated(location);

    public void Dispose()
    {
    }

    /// <summary>A stream (or event) with nothing queued: the inner backend has run everything by the time it returns.</summary>
    private sealed class NamedStream(string name) : IStream, IEvent
    {
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

        public override string ToString() => name;
    }
}
