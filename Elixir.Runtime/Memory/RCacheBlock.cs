using Elixir.Numerics;

namespace Elixir.Memory;

/// <summary>
/// One block of an <see cref="RCache"/>: a buffer that holds one gathered chunk. Public blocks are shared by all
/// ordinary chunks; private blocks belong to one fused chunk each.
/// </summary>
public sealed class RCacheBlock
{
    internal RCacheBlock(RCache pool, NativeBuffer buffer, long elementCount, DType type, bool isPublic, int index)
    {
        Pool = pool;
        Buffer = buffer;
        ElementCount = elementCount;
        DType = type;
        IsPublic = isPublic;
        Index = index;
    }

    /// <summary>The pool the block belongs to.</summary>
    public RCache Pool { get; }

    /// <summary>The block's memory.</summary>
    public NativeBuffer Buffer { get; }

    /// <summary>The number of elements the block holds.</summary>
    public long ElementCount { get; }

    /// <summary>The element type.</summary>
    public DType DType { get; }

    /// <summary>True for a public block, false for a private one.</summary>
    public bool IsPublic { get; }

    /// <summary>The block's index among the pool's public or private blocks.</summary>
    public int Index { get; }

    /// <summary>True while the block is handed out.</summary>
    public bool InUse { get; internal set; }

    /// <summary>The whole block as a slice.</summary>
    public BufferSlice Payload => Buffer.All;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{(IsPublic ? "public" : "private")} block #{Index} ({ElementCount} x {DType}, {(InUse ? "in use" : "free")})";
}
