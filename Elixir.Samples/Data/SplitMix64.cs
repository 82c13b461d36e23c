namespace Elixir.Samples.Data;

/// <summary>
/// A small seeded generator (SplitMix64) whose sequence is fixed by its algorithm, so corpora, batches and
/// initial parameters are the same on every platform and runtime version.
/// </summary>
public struct SplitMix64
{
    private ulong _state;

    /// <summary>Starts the sequence at <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>Mixes several values into one seed, so independent streams (per step, per sample, per tensor) do not overlap.</summary>
    public static ulong Combine(ulong a, ulong b, ulong c = 0)
    {
        var mixer = new SplitMix64(a);
        ulong h = mixer.NextUInt64() ^ b;
        mixer = new SplitMix64(h);
        h = mixer.NextUInt64() ^ c;
        mixer = new SplitMix64(h);
        return mixer.NextUInt64();
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>).</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        return (int)(NextUInt64() % (ulong)bound);
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal sample (Box–Muller, one value per call).</summary>
    public double NextNormal()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
