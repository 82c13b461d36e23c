using BenchmarkDotNet.Attributes;
using Elixir.Scheduling;

namespace Elixir.Benchmarks;

/// <summary>
/// One iteration of eviction decisions (forward and backward over 512 layers of two chunks each, 1024 chunks, 64
/// blocks) through <see cref="PrefetchScheduler"/>, against the same walk over a sorted set keyed on
/// (next use, chunk) with a dictionary of keys, the structure upstream uses, as the baseline.
/// </summary>
[MemoryDiagnoser]
public class SchedulerBenchmarks
{
    private const int Layers = 512;
    private const int Chunks = Layers * 2;
    private const int Blocks = 64;

    private int[][] _steps = [];
    private PrefetchScheduler _scheduler = null!;
    private readonly SortedSet<long> _sorted = [];
    private readonly Dictionary<int, long> _keys = [];
    private int[][] _uses = [];

    [GlobalSetup]
    public void Setup()
    {
        var forward = Enumerable.Range(0, Layers).Select(l => new[] { 2 * l, (2 * l) + 1 });
        _steps = [.. forward, .. forward.Reverse()];
        _scheduler = new PrefetchScheduler(Chunks, _steps);
        _uses = Enumerable.Range(0, Chunks)
            .Select(c => Enumerable.Range(0, _steps.Length).Where(s => _steps[s].Contains(c)).ToArray())
            .ToArray();

        // Both walks must make the same decisions, or the ratio compares different work.
        int baseline = SortedSetWalk();
        int scheduler = PrefetchSchedulerWalk();
        if (baseline != scheduler)
        {
            throw new InvalidOperationException(
                $"The sorted-set walk evicted {baseline} chunks but PrefetchScheduler evicted {scheduler}.");
        }
    }

    [Benchmark(Baseline = true)]
    public int SortedSetWalk()
    {
        _sorted.Clear();
        _keys.Clear();
        var evicted = 0;
        for (var step = 0; step < _steps.Length; step++)
        {
            foreach (var chunk in _steps[step])
            {
                if (_keys.Remove(chunk, out var key))
                {
                    _sorted.Remove(key);
                }
            }

            while (_sorted.Count > Blocks)
            {
                var top = _sorted.Max;
                _sorted.Remove(top);
                _keys.Remove((int)top);
                evicted++;
            }

            foreach (var chunk in _steps[step])
            {
                var key = ((long)NextUse(chunk, step) << 32) | (uint)chunk;
                _keys.Add(chunk, key);
                _sorted.Add(key);
            }
        }

        return evicted;
    }

    [Benchmark]
    public int PrefetchSchedulerWalk()
    {
        _scheduler.Reset();
        var evicted = 0;
        for (var step = 0; step < _steps.Length; step++)
        {
            _scheduler.Step();
            foreach (var chunk in _steps[step])
            {
                _scheduler.Remove(chunk);
            }

            while (_scheduler.Count > Blocks)
            {
                _scheduler.Remove(_scheduler.Top);
                evicted++;
            }

            foreach (var chunk in _steps[step])
            {
                _scheduler.Add(chunk);
            }
        }

        return evicted;
    }

    private int NextUse(int chunk, int step)
    {
        var index = Array.BinarySearch(_uses[chunk], step + 1);
        index = index >= 0 ? index : ~index;
        return index < _uses[chunk].Length ? _uses[chunk][index] : _steps.Length;
    }
}
