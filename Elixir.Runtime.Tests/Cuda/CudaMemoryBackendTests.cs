using Elixir.Memory;

namespace Elixir.Runtime.Tests.Cuda;

[Trait("Category", GpuRequirement.Category)]
public sealed class CudaMemoryBackendTests
{
    [Fact]
    public void Bytes_survive_host_to_device_to_device_to_host()
    {
        GpuRequirement.Devices();
        using var gpu = new GpuSession();
        byte[] values = [.. Enumerable.Range(0, 4099).Select(i => (byte)(i * 31 + 7))];

        using NativeBuffer first = gpu.Upload<byte>(values);
        using NativeBuffer second = gpu.Backend.Allocate(values.Length, MemoryLocation.Device);
        gpu.Backend.Copy(second.All, first.All);

        Assert.Equal(values, gpu.Download<byte>(second));
    }

    [Fact]
    public void Fill_sets_device_and_pinned_host_ranges_only()
    {
        GpuRequirement.Devices();
        using var gpu = new GpuSession();
        using NativeBuffer device = gpu.Upload<byte>(new byte[64]);
        using NativeBuffer host = gpu.Backend.Allocate(64, MemoryLocation.Host);
        host.All.AsSpan<byte>().Clear();

        gpu.Backend.Fill(device.Slice(8, 16), 0xAB);
        gpu.Backend.Fill(host.Slice(60, 4), 0xCD);

        byte[] expectedDevice = new byte[64];
        expectedDevice.AsSpan(8, 16).Fill(0xAB);
        Assert.Equal(expectedDevice, gpu.Download<byte>(device));
        byte[] expectedHost = new byte[64];
        expectedHost.AsSpan(60, 4).Fill(0xCD);
        Assert.Equal(expectedHost, host.All.AsSpan<byte>().ToArray());
    }

    [Fact]
    public void Allocations_are_counted_per_location_until_freed()
    {
        GpuRequirement.Devices();
        using var gpu = new GpuSession();
        long deviceBefore = gpu.Backend.BytesAllocated(MemoryLocation.Device);
        long hostBefore = gpu.Backend.BytesAllocated(MemoryLocation.Host);
        int liveBefore = gpu.Backend.LiveBuffers;

        NativeBuffer device = gpu.Backend.Allocate(1000, MemoryLocation.Device);
        NativeBuffer host = gpu.Backend.Allocate(24, MemoryLocation.Host);
        NativeBuffer empty = gpu.Backend.Allocate(0, MemoryLocation.Device);

        Assert.Equal(deviceBefore + 1000, gpu.Backend.BytesAllocated(MemoryLocation.Device));
        Assert.Equal(hostBefore + 24, gpu.Backend.BytesAllocated(MemoryLocation.Host));
        Assert.Equal(liveBefore + 3, gpu.Backend.LiveBuffers);
        Assert.Equal(0, host.Address % 64);
        Assert.Equal(0, device.Address % 64);
        device.Dispose();
        device.Dispose();
        host.Dispose();
        empty.Dispose();
        Assert.True(device.IsDisposed);
        Assert.Equal(deviceBefore, gpu.Backend.BytesAllocated(MemoryLocation.Device));
        Assert.Equal(hostBefore, gpu.Backend.BytesAllocated(MemoryLocation.Host));
        Assert.Equal(liveBefore, gpu.Backend.LiveBuffers);
    }

    [Fact]
    public void Copies_of_unequal_lengths_are_refused_naming_both()
    {
        GpuRequirement.Devices();
        using var gpu = new GpuSession();
        using NativeBuffer a = gpu.Backend.Allocate(16, MemoryLocation.Device);
        using NativeBuffer b = gpu.Backend.Allocate(8, MemoryLocation.Host);

        ArgumentException e = Assert.Throws<ArgumentException>(() => gpu.Backend.Copy(a.All, b.All));

        Assert.Contains("destination 16 bytes (Device), source 8 bytes (Host)", e.Message);
    }

    [Fact]
    public void An_impossible_allocation_throws_the_driver_error_naming_the_request()
    {
        GpuRequirement.Devices();
        using var gpu = new GpuSession();

        Elixir.Cuda.CudaException e = Assert.Throws<Elixir.Cuda.CudaException>(() => gpu.Backend.Allocate(1L << 50, MemoryLocation.Device));

        Assert.Equal("CUDA_ERROR_OUT_OF_MEMORY", e.ErrorName);
        Assert.StartsWith($"Allocating {1L << 50} bytes of Device memory on cuda:0", e.Call);
    }

    [Fact]
    public void A_side_stream_waiting_on_an_event_sees_the_default_streams_work()
    {
        GpuRequirement.Devices();
        using var gpu = new GpuSession();
        const int length = 1 << 24;
        using NativeBuffer source = gpu.Backend.Allocate(length, MemoryLocation.Device);
        using NativeBuffer copy = gpu.Backend.Allocate(length, MemoryLocation.Host);
        using IStream side = gpu.Backend.CreateStream();
        using IEvent filled = gpu.Backend.CreateEvent();

        gpu.Backend.Fill(source.All, 0x5A);
        gpu.Backend.DefaultStream.Record(filled);
        side.Wait(filled);
        gpu.Backend.Copy(copy.All, source.All, side);
        side.Synchronize();

        Assert.True(filled.IsComplete);
        Assert.DoesNotContain(copy.All.AsSpan<byte>().ToArray(), b => b != 0x5A);
    }

    [Fact]
    public void Timed_events_measure_the_interval_between_two_records()
    {
        GpuRequirement.Devices();
        using var gpu = new GpuSession();
        using NativeBuffer data = gpu.Backend.Allocate(1 << 20, MemoryLocation.Device);
        using Elixir.Cuda.CudaEvent start = gpu.Backend.CreateTimedEvent();
        using Elixir.Cuda.CudaEvent end = gpu.Backend.CreateTimedEvent();

        gpu.Backend.DefaultStream.Record(start);
        gpu.Backend.Fill(data.All, 1);
        gpu.Backend.DefaultStream.Record(end);
        end.Synchronize();

        Assert.True(start.IsComplete && end.IsComplete);
        Assert.InRange(end.MillisecondsSince(start), 0f, float.MaxValue);
        Assert.Throws<ArgumentException>(() => gpu.Backend.DefaultStream.Record(new ForeignEvent()));
    }

    private sealed class ForeignEvent : IEvent
    {
        public bool IsComplete => true;

        public void Synchronize()
        {
        }

        public void Dispose()
        {
        }
    }
}
