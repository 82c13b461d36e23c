using System.Runtime.CompilerServices;
using System.Text;

namespace Elixir.Memory;

/// <summary>
/// Live and peak bytes of one backend per <see cref="MemoryLocation"/> and <see cref="MemoryCategory"/>, and an
/// optional budget per location that every allocation is checked against before any memory is taken. Reading a
/// counter allocates nothing; <see cref="ResetPeaks"/> starts a new peak window. Thread-safe.
/// </summary>
public sealed class MemoryCounters
{
    private const int Locations = 2;
    private const long NoBudget = -1;

    private readonly string _backend;
    private readonly long[] _live = new long[Locations];
    private readonly long[] _peak = new long[Locations];
    private readonly long[] _liveByCategory = new long[Locations * MemoryCategories.Count];
    private readonly long[] _peakByCategory = new long[Locations * MemoryCategories.Count];
    private readonly long[] _budget = [NoBudget, NoBudget];

    /// <summary>Creates counters for the backend named <paramref name="backend"/> (used in messages).</summary>
    public MemoryCounters(string backend) => _backend = backend;

    /// <summary>The bytes allocated at <paramref name="location"/> and not yet freed.</summary>
    public long Live(MemoryLocation location) => Volatile.Read(ref _live[Index(location)]);

    /// <summary>The bytes of <paramref name="category"/> allocated at <paramref name="location"/> and not yet freed.</summary>
    public long Live(MemoryLocation location, MemoryCategory category) => Volatile.Read(ref _liveByCategory[Index(location, category)]);

    /// <summary>The most bytes live at <paramref name="location"/> at once since creation or the last <see cref="ResetPeaks"/>.</summary>
    public long Peak(MemoryLocation location) => Volatile.Read(ref _peak[Index(location)]);

    /// <summary>The most bytes of <paramref name="category"/> live at <paramref name="location"/> at once in the window.</summary>
    public long Peak(MemoryLocation location, MemoryCategory category) => Volatile.Read(ref _peakByCategory[Index(location, category)]);

    /// <summary>The budget of <paramref name="location"/> in bytes, or null when it has none.</summary>
    public long? Budget(MemoryLocation location) => Volatile.Read(ref _budget[Index(location)]) is var b && b >= 0 ? b : null;

    /// <summary>
    /// Sets (or with null removes) the most bytes that may be live at <paramref name="location"/>; an allocation
    /// beyond it throws <see cref="MemoryBudgetExceededException"/>. A budget below what is live now is refused.
    /// </summary>
    public void SetBudget(MemoryLocation location, long? bytes)
    {
        if (bytes is long b && (b <= 0 || b < Live(location)))
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes,
                $"Backend '{_backend}': a {location} budget of {b} bytes must be positive and at least the {Live(location)} bytes live there.");
        }

        Volatile.Write(ref _budget[Index(location)], bytes ?? NoBudget);
    }

    /// <summary>Starts a new peak window: every peak becomes the bytes live now.</summary>
    public void ResetPeaks()
    {
        for (int i = 0; i < _live.Length; i++)
        {
            Volatile.Write(ref _peak[i], Volatile.Read(ref _live[i]));
        }

        for (int i = 0; i < _liveByCategory.Length; i++)
        {
            Volatile.Write(ref _peakByCategory[i], Volatile.Read(ref _liveByCategory[i]));
        }
    }

    /// <summary>Counts an allocation before it is made; over the budget it counts nothing and throws.</summary>
    internal void Reserve(long bytes, MemoryLocation location, MemoryCategory category)
    {
        int l = Index(location);
        long total = Interlocked.Add(ref _live[l], bytes);
        long budget = Volatile.Read(ref _budget[l]);
        if (budget >= 0 && total > budget)
        {
            Interlocked.Add(ref _live[l], -bytes);
            ThrowOverBudget(location, category, bytes, budget);
        }

        int c = Index(location, category);
        long inCategory = Interlocked.Add(ref _liveByCategory[c], bytes);
        RaiseTo(ref _peak[l], total);
        RaiseTo(ref _peakByCategory[c], inCategory);
    }

    /// <summary>Counts a free (or an allocation that failed after <see cref="Reserve"/>).</summary>
    internal void Release(long bytes, MemoryLocation location, MemoryCategory category)
    {
        Interlocked.Add(ref _live[Index(location)], -bytes);
        Interlocked.Add(ref _liveByCategory[Index(location, category)], -bytes);
    }

    private static int Index(MemoryLocation location) => location == MemoryLocation.Device ? 0 : 1;

    private static int Index(MemoryLocation location, MemoryCategory category) =>
        (Index(location) * MemoryCategories.Count) + (int)category;

    private static void RaiseTo(ref long peak, long value)
    {
        long seen = Volatile.Read(ref peak);
        while (value > seen)
        {
            long previous = Interlocked.CompareExchange(ref peak, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowOverBudget(MemoryLocation location, MemoryCategory category, long bytes, long budget)
    {
        var text = new StringBuilder();
        foreach (var c in MemoryCategories.All)
        {
            if (Live(location, c) is var live && live > 0)
            {
                text.Append(text.Length == 0 ? "" : ", ").Append(c.DisplayName()).Append(' ').Append(live);
            }
        }

        throw new MemoryBudgetExceededException(_backend, location, category, bytes, budget, Live(location),
            text.Length == 0 ? "nothing" : text.ToString());
    }
}
