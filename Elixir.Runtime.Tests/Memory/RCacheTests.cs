using Elixir.Memory;
using Elixir.Memory.Host;
using Elixir.Numerics;

namespace Elixir.Tests.Memory;

public sealed class RCacheTests
{
    [Fact]
    public void PublicBlocks_AreHandedOutAndReturned_WithCounts()
    {
        var backend = new HostMemoryBackend();
        using (var pool = new RCache(backend, "rc", 256, DType.Float16, 3))
        {
            Assert.Equal(3 * 512, pool.PublicBytes);
            var a = pool.GetPublicBlock();
            var b = pool.GetPublicBlock();
            Assert.NotSame(a, b);
            Assert.True(a.InUse && a.IsPublic && a.ElementCount == 256 && a.DType == DType.Float16);
            Assert.Equal(1, pool.FreePublicCount);
            Assert.Equal(2, pool.UsedPublicCount);
            pool.FreePublicBlock(a);
            Assert.False(a.InUse);
            Assert.Same(a, pool.GetPublicBlock());
        }

        Assert.Equal(0, backend.LiveBuffers);
    }

    [Fact]
    public void EmptyPool_ThrowsNamingPoolAndCounts_AndStaysUsable()
    {
        var backend = new HostMemoryBackend();
        using var pool = new RCache(backend, "rc", 64, DType.Float32, 2);
        var first = pool.GetPublicBlock();
        pool.GetPublicBlock();
        var error = Assert.Throws<RCacheException>(() => pool.GetPublicBlock());
        Assert.Contains("'rc'", error.Message);
        Assert.Contains("all 2 public blocks of 64 x Float32", error.Message);
        pool.FreePublicBlock(first);
        Assert.Same(first, pool.GetPublicBlock());
    }

    [Fact]
    public void BadFrees_ThrowNamingTheBlock_AndChangeNothing()
    {
        var backend = new HostMemoryBackend();
        using var pool = new RCache(backend, "rc", 64, DType.Float32, 2, [(32, DType.Float16)]);
        using var other = new RCache(backend, "other", 64, DType.Float32, 1);
        var block = pool.GetPublicBlock();
        pool.FreePublicBlock(block);
        var twice = Assert.Throws<RCacheException>(() => pool.FreePublicBlock(block));
        Assert.Contains("public block #0", twice.Message);
        Assert.Contains("0 of 2 public blocks in use", twice.Message);
        var foreign = Assert.Throws<RCacheException>(() => pool.FreePublicBlock(other.GetPublicBlock()));
        Assert.Contains("belongs to RCache 'other'", foreign.Message);
        Assert.Equal(2, pool.FreePublicCount);
    }

    [Fact]
    public void PrivateBlocks_AreLookedUpByCountAndType()
    {
        var backend = new HostMemoryBackend();
        using var pool = new RCache(backend, "rc", 64, DType.Float32, 1, [(32, DType.Float16), (32, DType.Float16), (8, DType.Float32)]);
        var a = pool.GetPrivateBlock(32, DType.Float16);
        var b = pool.GetPrivateBlock(32, DType.Float16);
        Assert.NotSame(a, b);
        Assert.False(a.IsPublic);
        var taken = Assert.Throws<RCacheException>(() => pool.GetPrivateBlock(32, DType.Float16));
        Assert.Contains("32 x Float16; 2 of that shape reserved", taken.Message);
        var missing = Assert.Throws<RCacheException>(() => pool.GetPrivateBlock(32, DType.Float32));
        Assert.Contains("0 of that shape reserved", missing.Message);
        pool.FreePrivateBlock(a);
        Assert.Same(a, pool.GetPrivateBlock(32, DType.Float16));
    }

    [Fact]
    public void GetAndFree_AllocateNothing()
    {
        var backend = new HostMemoryBackend();
        using var pool = new RCache(backend, "rc", 64, DType.Float32, 4);
        var a = pool.GetPublicBlock();
        pool.FreePublicBlock(a);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            var x = pool.GetPublicBlock();
            var y = pool.GetPublicBlock();
            pool.FreePublicBlock(x);
            pool.FreePublicBlock(y);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void BadShapes_ThrowNamingTheCounts_AndFreeWhatWasAllocated()
    {
        var backend = new HostMemoryBackend();
        var count = Assert.Throws<ArgumentOutOfRangeException>(() => new RCache(backend, "rc", 0, DType.Float32, 2));
        Assert.Contains("2 public blocks of 0 elements", count.Message);
        var privateBlock = Assert.Throws<ArgumentOutOfRangeException>(() => new RCache(backend, "rc", 8, DType.Float32, 2, [(4, DType.Float16), (-1, DType.Float16)]));
        Assert.Contains("private block #1 has -1 elements", privateBlock.Message);
        Assert.Equal(0, backend.LiveBuffers);
    }
}
