using Elixir.Memory;
using Elixir.Memory.Host;

namespace Elixir.Tests.Memory;

public sealed class HostMemoryBackendTests
{
    [Fact]
    public void Allocate_IsAlignedAndAccountedPerLocation_UntilDisposed()
    {
        var backend = new HostMemoryBackend();
        var device = backend.Allocate(100, MemoryLocation.Device);
        var host = backend.Allocate(7, MemoryLocation.Host);
        Assert.Equal(0, device.Address % 64);
        Assert.Equal(0, host.Address % 64);
        Assert.Equal(100, backend.BytesAllocated(MemoryLocation.Device));
        Assert.Equal(7, backend.BytesAllocated(MemoryLocation.Host));
        Assert.Equal(2, backend.LiveBuffers);

        device.Dispose();
        device.Dispose();
        Assert.True(device.IsDisposed);
        Assert.Equal(0, backend.BytesAllocated(MemoryLocation.Device));
        Assert.Equal(1, backend.LiveBuffers);
        host.Dispose();
        Assert.Equal(0, backend.LiveBuffers);
    }

    [Fact]
    public void CopyAndFill_MoveExactBytes()
    {
        var backend = new HostMemoryBackend();
        using var a = backend.Allocate(16, MemoryLocation.Host);
        using var b = backend.Allocate(16, MemoryLocation.Device);
        backend.Fill(a.All, 0xAB);
        backend.Fill(b.Slice(0, 8), 0x01);
        backend.Copy(b.Slice(8, 8), a.Slice(4, 8));
        Assert.Equal(Enumerable.Repeat((byte)1, 8).Concat(Enumerable.Repeat((byte)0xAB, 8)), b.All.AsSpan<byte>().ToArray());
    }

    [Fact]
    public void BadRequests_ThrowNamingTheNumbers()
    {
        var backend = new HostMemoryBackend();
        Assert.Contains("-5 bytes", Assert.Throws<ArgumentOutOfRangeException>(() => backend.Allocate(-5, MemoryLocation.Host)).Message);
        using var a = backend.Allocate(16, MemoryLocation.Host);
        var error = Assert.Throws<ArgumentException>(() => backend.Copy(a.Slice(0, 8), a.Slice(8, 4)));
        Assert.Contains("4 bytes", error.Message);
        Assert.Contains("8-byte", error.Message);
        Assert.Equal(1, backend.LiveBuffers);
    }
}
