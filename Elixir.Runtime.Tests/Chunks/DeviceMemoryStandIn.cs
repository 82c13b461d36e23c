using Elixir.Memory;
using Elixir.Memory.Host;

namespace Elixir.Tests.Chunks;

/// <summary>
/// The host backend, except that its device buffers say what CUDA device memory would: the CPU cannot address
/// them. The memory is still host memory, so nothing can crash while a test checks that views refuse it.
/// </summary>
internal sealed class DeviceMemoryStandIn : IMemoryBackend
{
    private readonly HostMemoryBackend _host = new();

    public string Name => "device stand-in";

    public IStream DefaultStream => _host.DefaultStream;

    public int LiveBuffers => _host.LiveBuffers;

    public MemoryCounters Counters => _host.Counters;

    public NativeBuffer Allocate(long byteLength, MemoryLocation location, MemoryCategory category = MemoryCategory.Other)
    {
        NativeBuffer buffer = _host.Allocate(byteLength, location, category);
        return location == MemoryLocation.Device ? new DeviceBuffer(buffer) : buffer;
    }

    public void Copy(BufferSlice destination, BufferSlice source, IStream? stream = null) => _host.Copy(destination, source, stream);

    public void Fill(BufferSlice destination, byte value, IStream? stream = null) => _host.Fill(destination, value, stream);

    public IStream CreateStream() => _host.CreateStream();

    public IEvent CreateEvent() => _host.CreateEvent();

    public long BytesAllocated(MemoryLocation location) => _host.BytesAllocated(location);

    public void Dispose() => _host.Dispose();

    private sealed class DeviceBuffer(NativeBuffer memory) : NativeBuffer(memory.ByteLength, MemoryLocation.Device, memory.Category)
    {
        public override nint Address => memory.Address;

        public override bool IsHostAddressable => false;

        public override bool IsDisposed => memory.IsDisposed;

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                memory.Dispose();
            }
        }
    }
}
