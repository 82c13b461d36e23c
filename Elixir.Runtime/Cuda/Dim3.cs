namespace Elixir.Cuda;

/// <summary>A kernel launch's grid or block size, as CUDA's <c>dim3</c>: unused dimensions are 1.</summary>
/// <param name="X">The first (fastest-varying) dimension.</param>
/// <param name="Y">The second dimension.</param>
/// <param name="Z">The third dimension.</param>
public readonly record struct Dim3(uint X, uint Y = 1, uint Z = 1)
{
    /// <summary>The number of blocks (or threads) the size describes.</summary>
    public ulong Volume => (ulong)X * Y * Z;

    /// <summary>A one-dimensional size.</summary>
    public static implicit operator Dim3(uint x) => new(x);

    /// <summary>The one-dimensional grid of <paramref name="blockSize"/>-thread blocks that covers <paramref name="count"/> items.</summary>
    public static Dim3 Cover(long count, uint blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfZero(blockSize);
        return new Dim3((uint)Math.Max(1, (count + blockSize - 1) / blockSize));
    }
}
