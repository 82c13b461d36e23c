using Elixir.Fetching;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Runtime.Tests.Fetching;

/// <summary>
/// Chunk bookkeeping without data: tensor states, a pool of public blocks, and the rules the real chunks enforce
/// (a gather needs a free block, a release needs a gathered chunk with nothing computing, and so on). Each move is
/// appended to <see cref="Log"/> when one is given.
/// </summary>
internal sealed class FakeChunks : IChunkResidency
{
    private readonly TensorState[][] _states;
    private readonly bool[] _fused;
    private readonly bool[] _gathered;
    private readonly bool[] _holdsBlock;

    public FakeChunks(int[] tensorsPerChunk, bool[] fused, int publicBlocks, List<string>? log = null)
    {
        _states = tensorsPerChunk.Select(n => Enumerable.Repeat(TensorState.Hold, n).ToArray()).ToArray();
        _fused = fused;
        _gathered = new bool[tensorsPerChunk.Length];
        _holdsBlock = new bool[tensorsPerChunk.Length];
        PublicBlockCount = publicBlocks;
        FreePublicBlocks = publicBlocks;
        Log = log;
    }

    public List<string>? Log { get; }

    public int ChunkCount => _states.Length;

    public int PublicBlockCount { get; }

    public int FreePublicBlocks { get; private set; }

    public bool IsFused(int chunk) => _fused[chunk];

    public bool IsGathered(int chunk) => _gathered[chunk];

    public bool CanScatter(int chunk) => !_fused[chunk] && Count(chunk, TensorState.Compute) == 0;

    public bool CanReduce(int chunk) => Count(chunk, TensorState.ReadyForReduce) == _states[chunk].Length;

    public int TensorCountOf(int chunk) => _states[chunk].Length;

    public TensorState StateOf(int chunk, int tensor) => _states[chunk][tensor];

    public string NameOf(int chunk, int tensor) => $"c{chunk}.t{tensor}";

    public void Transition(int chunk, int tensor, TensorState to)
    {
        var from = _states[chunk][tensor];
        if (!TensorStateRules.IsLegal(from, to))
        {
            throw new IllegalStateTransitionException(NameOf(chunk, tensor), from, to);
        }

        _states[chunk][tensor] = to;
    }

    public void Gather(int chunk, IStream stream)
    {
        Check(!_gathered[chunk], "gather of a gathered chunk", chunk);
        if (!_fused[chunk])
        {
            Check(FreePublicBlocks > 0, "gather with no free block", chunk);
            FreePublicBlocks--;
            _holdsBlock[chunk] = true;
        }

        _gathered[chunk] = true;
        Log?.Add($"gather {chunk} on {stream}");
    }

    public void Scatter(int chunk, IStream stream)
    {
        Check(_gathered[chunk] && CanScatter(chunk), "release of a chunk not releasable", chunk);
        _gathered[chunk] = false;
        _holdsBlock[chunk] = false;
        FreePublicBlocks++;
        Log?.Add($"release {chunk} on {stream}");
    }

    public void StartReduce(int chunk, bool alwaysFp32, IStream stream)
    {
        Check(_gathered[chunk] && CanReduce(chunk), "reduce of a chunk not ready", chunk);
        Array.Fill(_states[chunk], TensorState.Hold);
        _gathered[chunk] = false;
        Log?.Add($"reduce {chunk} on {stream}");
    }

    public void FinishReduce(int chunk, IStream stream)
    {
        if (_holdsBlock[chunk])
        {
            _holdsBlock[chunk] = false;
            FreePublicBlocks++;
        }

        Log?.Add($"finish {chunk} on {stream}");
    }

    public void WriteGradient(int chunk, int tensor, BufferSlice gradient, DType gradientType) =>
        Log?.Add($"write {chunk}.{tensor}");

    private int Count(int chunk, TensorState state)
    {
        var count = 0;
        foreach (var s in _states[chunk])
        {
            count += s == state ? 1 : 0;
        }

        return count;
    }

    // A plain check: Assert with an interpolated message would allocate on every call and spoil allocation tests.
    private static void Check(bool condition, string what, int chunk)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"{what}: chunk {chunk}");
        }
    }
}
