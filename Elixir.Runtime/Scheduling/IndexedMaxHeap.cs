namespace Elixir.Scheduling;

/// <summary>
/// A binary max-heap of item indices <c>[0, capacity)</c>, each with a <see cref="long"/> key, plus the position of
/// every item so that removing an arbitrary item is O(log n). All storage is allocated at construction.
/// </summary>
internal sealed class IndexedMaxHeap
{
    private const int Absent = -1;

    private readonly int[] _heap;      // heap order: _heap[0] has the largest key
    private readonly int[] _position;  // item -> index in _heap, or Absent
    private readonly long[] _key;      // item -> key while present

    public IndexedMaxHeap(int capacity)
    {
        _heap = new int[capacity];
        _position = new int[capacity];
        _key = new long[capacity];
        Array.Fill(_position, Absent);
    }

    public int Count { get; private set; }

    public int Max => _heap[0];

    public bool Contains(int item) => _position[item] != Absent;

    public void Insert(int item, long key)
    {
        _key[item] = key;
        _heap[Count] = item;
        _position[item] = Count;
        Count++;
        SiftUp(Count - 1);
    }

    public void Remove(int item)
    {
        var hole = _position[item];
        _position[item] = Absent;
        Count--;
        if (hole == Count)
        {
            return;
        }

        var last = _heap[Count];
        _heap[hole] = last;
        _position[last] = hole;
        SiftUp(hole);
        SiftDown(_position[last]);
    }

    public void Clear()
    {
        for (var i = 0; i < Count; i++)
        {
            _position[_heap[i]] = Absent;
        }

        Count = 0;
    }

    private void SiftUp(int index)
    {
        var item = _heap[index];
        var key = _key[item];
        while (index > 0)
        {
            var parent = (index - 1) >> 1;
            var parentItem = _heap[parent];
            if (_key[parentItem] >= key)
            {
                break;
            }

            Place(parentItem, index);
            index = parent;
        }

        Place(item, index);
    }

    private void SiftDown(int index)
    {
        var item = _heap[index];
        var key = _key[item];
        while (true)
        {
            var child = (2 * index) + 1;
            if (child >= Count)
            {
                break;
            }

            if (child + 1 < Count && _key[_heap[child + 1]] > _key[_heap[child]])
            {
                child++;
            }

            var childItem = _heap[child];
            if (_key[childItem] <= key)
            {
                break;
            }

            Place(childItem, index);
            index = child;
        }

        Place(item, index);
    }

    private void Place(int item, int index)
    {
        _heap[index] = item;
        _position[item] = index;
    }
}
