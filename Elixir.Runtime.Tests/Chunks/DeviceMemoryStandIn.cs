using Elixir.Memory;
using Elixir.Memory.Host;

namespace Elixir.Tests.Chunks;

/// <summary>
/// The host backend, except that its device buffers say what CUDA device memory would: the CPU cannot address
/// them. The memory is still host memory, so nothing can crash while a test checks that views refuse it.
/// </summary>
internal sealed class DeviceMemoryStandIn : IMemoryBackend
{
    private readonly HostMemoryBackend host = new();

    public string Name => "device stand-in";

    public IStream DefaultStream => host.DefaultStream;

    public int LiveBuffers => host.LiveBuffers;

    public NativeBuffer Allocate(long byteLength, MemoryLocation location)
    {
        NativeBuffer buffer = host.Allocate(byteLength, location);
        return location == MemoryLocation.Device ? new DeviceBuffer(buffer) : buffer;
    }

    public void Copy(BufferSlice destination, BufferSlice source, IStream? stream = null) => host.Copy(destination, source, stream);

    public void Fill(BufferSlice destination, byte value, IStream? stream = null) => host.Fill(destination, value, stream);

    public IStream CreateStream() => host.CreateStream();

    public IEvent CreateEvent() => host.CreateEvent();

    public long BytesAllocated(MemoryLocation location) => host.BytesAllocated(location);

    public void Dispose() => host.Dispose();

    private sealed class DeviceBuffer(NativeBuffer memory) : NativeBuffer(memory.ByteLength, MemoryLocation.Device)
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
