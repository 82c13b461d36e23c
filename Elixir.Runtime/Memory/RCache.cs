using System.Runtime.CompilerServices;
using Elixir.Numerics;

namespace Elixir.Memory;

/// <summary>
/// The replicated-chunk cache: a memory pool allocated once, holding <see cref="PublicBlockCount"/> public
/// blocks of one element count and type (for ordinary chunks, reused by eviction) and private blocks reserved
/// by (element count, type) for fused chunks. Getting and freeing a public block is O(1) and allocates nothing.
/// Not thread-safe: each rank owns its own pool.
/// </summary>
public sealed class RCache : IDisposable
{
    private readonly RCacheBlock[] _publicBlocks;
    private readonly RCacheBlock[] _freePublic;
    private readonly RCacheBlock[] _privateBlocks;
    private int _freePublicCount;
    private bool _disposed;

    /// <summary>Allocates every block at <paramref name="location"/> of <paramref name="backend"/>.</summary>
    /// <param name="backend">Where the memory comes from.</param>
    /// <param name="name">The pool's name in messages.</param>
    /// <param name="publicBlockElements">The element count of each public block.</param>
    /// <param name="publicType">The element type of the public blocks.</param>
    /// <param name="publicBlockCount">The number of public blocks (0 or more).</param>
    /// <param name="privateBlocks">One (element count, type) entry per private block to reserve.</param>
    /// <param name="location">Where the blocks live (the device, normally).</param>
    public RCache(
        IMemoryBackend backend,
        string name,
        long publicBlockElements,
        DType publicType,
        int publicBlockCount,
        ReadOnlySpan<(long ElementCount, DType Type)> privateBlocks = default,
        MemoryLocation location = MemoryLocation.Device)
    {
        ArgumentNullException.ThrowIfNull(backend);
        if (publicBlockCount < 0 || (publicBlockCount > 0 && publicBlockElements <= 0))
        {
            throw new ArgumentOutOfRangeException(
                nameof(publicBlockCount),
                $"RCache '{name}': {publicBlockCount} public blocks of {publicBlockElements} elements; both must be positive.");
        }

        Name = name;
        PublicBlockElements = publicBlockElements;
        PublicType = publicType;
        _publicBlocks = new RCacheBlock[publicBlockCount];
        _freePublic = new RCacheBlock[publicBlockCount];
        _privateBlocks = new RCacheBlock[privateBlocks.Length];
        try
        {
            for (int i = 0; i < publicBlockCount; i++)
            {
                var buffer = backend.Allocate(publicBlockElements * publicType.SizeOf(), location, MemoryCategory.RCache);
                _publicBlocks[i] = new RCacheBlock(this, buffer, publicBlockElements, publicType, isPublic: true, i);
                PublicBytes += buffer.ByteLength;
            }

            for (int i = 0; i < privateBlocks.Length; i++)
            {
                var (count, type) = privateBlocks[i];
                if (count <= 0)
                {
                    throw new ArgumentOutOfRangeException(
                        nameof(privateBlocks), $"RCache '{name}': private block #{i} has {count} elements; it must be positive.");
                }

                var buffer = backend.Allocate(count * type.SizeOf(), location, MemoryCategory.RCache);
                _privateBlocks[i] = new RCacheBlock(this, buffer, count, type, isPublic: false, i);
                PrivateBytes += buffer.ByteLength;
            }
        }
        catch
        {
            Dispose();
            throw;
        }

        // Free blocks form a stack; popping from the end hands out block 0 first.
        for (int i = 0; i < publicBlockCount; i++)
        {
            _freePublic[i] = _publicBlocks[publicBlockCount - 1 - i];
        }

        _freePublicCount = publicBlockCount;
    }

    /// <summary>The pool's name in messages.</summary>
    public string Name { get; }

    /// <summary>The element count of each public block.</summary>
    public long PublicBlockElements { get; }

    /// <summary>The element type of the public blocks.</summary>
    public DType PublicType { get; }

    /// <summary>The number of public blocks.</summary>
    public int PublicBlockCount => _publicBlocks.Length;

    /// <summary>The number of public blocks not handed out.</summary>
    public int FreePublicCount => _freePublicCount;

    /// <summary>The number of public blocks handed out.</summary>
    public int UsedPublicCount => _publicBlocks.Length - _freePublicCount;

    /// <summary>The bytes of all public blocks.</summary>
    public long PublicBytes { get; }

    /// <summary>The bytes of all private blocks.</summary>
    public long PrivateBytes { get; }

    /// <summary>The public blocks, in index order.</summary>
    public ReadOnlySpan<RCacheBlock> PublicBlocks => _publicBlocks;

    /// <summary>The private blocks, in reservation order.</summary>
    public ReadOnlySpan<RCacheBlock> PrivateBlocks => _privateBlocks;

    /// <summary>Hands out a free public block; an empty pool throws naming the counts.</summary>
    public RCacheBlock GetPublicBlock()
    {
        if (_freePublicCount == 0)
        {
            ThrowEmpty();
        }

        var block = _freePublic[--_freePublicCount];
        _freePublic[_freePublicCount] = null!;
        block.InUse = true;
        return block;
    }

    /// <summary>Returns a public block; a block that is not in use or not from this pool throws.</summary>
    public void FreePublicBlock(RCacheBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (!ReferenceEquals(block.Pool, this) || !block.IsPublic || !block.InUse)
        {
            ThrowBadFree(block);
        }

        block.InUse = false;
        _freePublic[_freePublicCount++] = block;
    }

    /// <summary>
    /// Hands out a reserved, unused private block of <paramref name="elementCount"/> elements of
    /// <paramref name="type"/>; one that was not reserved, or whose reservations are all taken, throws.
    /// </summary>
    public RCacheBlock GetPrivateBlock(long elementCount, DType type)
    {
        int reserved = 0;
        foreach (var block in _privateBlocks)
        {
            if (block.ElementCount == elementCount && block.DType == type)
            {
                reserved++;
                if (!block.InUse)
                {
                    block.InUse = true;
                    return block;
                }
            }
        }

        throw new RCacheException(
            $"RCache '{Name}': no free private block of {elementCount} x {type}; {reserved} of that shape reserved, all in use " +
            $"({_privateBlocks.Length} private blocks in all).");
    }

    /// <summary>Returns a private block so another fused chunk may take it.</summary>
    public void FreePrivateBlock(RCacheBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (!ReferenceEquals(block.Pool, this) || block.IsPublic || !block.InUse)
        {
            ThrowBadFree(block);
        }

        block.InUse = false;
    }

    /// <summary>Frees every block's memory.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var block in _publicBlocks)
        {
            block?.Buffer.Dispose();
        }

        foreach (var block in _privateBlocks)
        {
            block?.Buffer.Dispose();
        }
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"RCache '{Name}' (public {UsedPublicCount}/{PublicBlockCount} used of {PublicBlockElements} x {PublicType}, " +
        $"{_privateBlocks.Length} private, {PublicBytes + PrivateBytes} bytes)";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowEmpty() => throw new RCacheException(
        $"RCache '{Name}' is empty: all {PublicBlockCount} public blocks of {PublicBlockElements} x {PublicType} are in use.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBadFree(RCacheBlock block) => throw new RCacheException(
        !ReferenceEquals(block.Pool, this)
            ? $"RCache '{Name}': cannot free {block}; it belongs to RCache '{block.Pool.Name}'."
            : block.InUse
                ? $"RCache '{Name}': cannot free {block} as a {(block.IsPublic ? "private" : "public")} block."
                : $"RCache '{Name}': cannot free {block}; it is not in use ({UsedPublicCount} of {PublicBlockCount} public blocks in use).");
}
