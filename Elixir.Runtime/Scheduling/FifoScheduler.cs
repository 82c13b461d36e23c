namespace Elixir.Scheduling;

/// <summary>
/// Evicts the chunk that became releasable first. The queue is a doubly linked list threaded through two arrays
/// indexed by chunk, so add, remove and top are O(1) and allocate nothing.
/// </summary>
public sealed class FifoScheduler : ChunkScheduler
{
    private const int Nil = -1;

    private readonly int[] _next;
    private readonly int[] _previous;
    private readonly bool[] _queued;
    private int _head = Nil;
    private int _tail = Nil;
    private int _count;

    /// <summary>Creates a FIFO scheduler for chunks <c>0 .. chunkCount-1</c>.</summary>
    public FifoScheduler(int chunkCount)
        : base(chunkCount)
    {
        _next = new int[chunkCount];
        _previous = new int[chunkCount];
        _queued = new bool[chunkCount];
    }

    /// <inheritdoc/>
    public override int Count => _count;

    /// <inheritdoc/>
    public override int Top => _head == Nil ? NoChunk : _head;

    /// <inheritdoc/>
    protected override bool ContainsCore(int chunk) => _queued[chunk];

    /// <inheritdoc/>
    protected override void AddCore(int chunk)
    {
        _queued[chunk] = true;
        _previous[chunk] = _tail;
        _next[chunk] = Nil;
        if (_tail == Nil)
        {
            _head = chunk;
        }
        else
        {
            _next[_tail] = chunk;
        }

        _tail = chunk;
        _count++;
    }

    /// <inheritdoc/>
    protected override void RemoveCore(int chunk)
    {
        var previous = _previous[chunk];
        var next = _next[chunk];
        if (previous == Nil)
        {
            _head = next;
        }
        else
        {
            _next[previous] = next;
        }

        if (next == Nil)
        {
            _tail = previous;
        }
        else
        {
            _previous[next] = previous;
        }

        _queued[chunk] = false;
        _count--;
    }

    /// <inheritdoc/>
    protected override void ResetCore()
    {
        for (var chunk = _head; chunk != Nil; chunk = _next[chunk])
        {
            _queued[chunk] = false;
        }

        _head = Nil;
        _tail = Nil;
        _count = 0;
    }
}
