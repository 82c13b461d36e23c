namespace Elixir.Planning;

/// <summary>Small integer helpers shared by the searches.</summary>
internal static class ChunkMath
{
    /// <summary><paramref name="value"/> rounded up to a multiple of <paramref name="multiple"/> (upstream <c>to_divide</c>).</summary>
    public static long RoundUp(long value, long multiple)
    {
        long remainder = value % multiple;
        if (remainder < 0)
        {
            remainder += multiple;
        }

        return remainder == 0 ? value : value + multiple - remainder;
    }

    /// <summary>
    /// Places parameters of <paramref name="numels"/> elements first-fit in order into chunks of
    /// <paramref name="chunkSize"/>, never splitting one; writes each one's 0-based chunk into
    /// <paramref name="chunkOf"/> and returns the chunk count and the elements left unused.
    /// </summary>
    public static (int Chunks, long Waste) FirstFit(ReadOnlySpan<long> numels, long chunkSize, Span<int> chunkOf)
    {
        int chunk = -1;
        long wasted = 0;
        long left = 0;
        for (int i = 0; i < numels.Length; i++)
        {
            if (numels[i] > left)
            {
                wasted += left;
                chunk++;
                left = chunkSize;
            }

            left -= numels[i];
            chunkOf[i] = chunk;
        }

        return (chunk + 1, wasted + left);
    }
}
