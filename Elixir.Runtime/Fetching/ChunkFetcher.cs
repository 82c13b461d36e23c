using Elixir.Chunks;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Numerics;
using Elixir.Scheduling;

namespace Elixir.Fetching;

/// <summary>
/// Drives chunks through the compute steps of an iteration: moves tensors to compute and back to hold, gathers the
/// chunks a step needs into the rCache (evicting through the scheduler when it is full), reduce-scatters a chunk
/// once all its gradients are ready, and, with overlap on, gathers the predicted next chunk early on a side stream
/// and runs reduces on another. Every call of a step allocates nothing.
/// </summary>
/// <remarks>
/// Streams are ordered with events rather than host synchronisation so that, on a GPU, gathers and reduces run
/// while the compute stream works; the host backend's streams are synchronous and the same calls cost nothing.
/// </remarks>
public sealed partial class ChunkFetcher : IDisposable
{
    private readonly IChunkResidency _chunks;
    private readonly bool _reduceAlwaysFp32;
    private readonly IStream _main;
    private readonly IStream? _prefetchStream;
    private readonly IStream? _reduceStream;
    private readonly IEvent? _mainMark;      // the compute stream's progress, for side streams to wait on
    private readonly IEvent? _prefetchDone;  // end of the last prefetch gather
    private readonly IEvent? _reduceDone;    // end of the last overlapped reduce

    private int _predicted = ChunkScheduler.NoChunk;  // the chunk expected next; gathered or gathering when _prefetching
    private bool _prefetching;
    private int _pendingReduce = ChunkScheduler.NoChunk;  // reduced on _reduceStream, block not yet back in the pool

    /// <summary>
    /// Creates a fetcher for the closed chunks of <paramref name="group"/>; chunk <c>i</c> of the scheduler is
    /// <c>group.Chunks[i]</c>. With <paramref name="overlap"/> it prefetches and reduces on side streams of
    /// <paramref name="backend"/>; <paramref name="reduceAlwaysFp32"/> reduces fp16/bf16 gradients in fp32.
    /// </summary>
    public ChunkFetcher(ChunkGroup group, ChunkScheduler scheduler, IMemoryBackend backend, bool overlap, bool reduceAlwaysFp32 = false)
        : this((IChunkResidency)group, scheduler, backend, overlap, reduceAlwaysFp32)
    {
    }

    internal ChunkFetcher(IChunkResidency chunks, ChunkScheduler scheduler, IMemoryBackend backend, bool overlap, bool reduceAlwaysFp32 = false)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(backend);
        if (scheduler.ChunkCount != chunks.ChunkCount)
        {
            throw new ArgumentException(
                $"The scheduler is sized for {scheduler.ChunkCount} chunks but there are {chunks.ChunkCount}.", nameof(scheduler));
        }

        _chunks = chunks;
        _reduceAlwaysFp32 = reduceAlwaysFp32;
        Scheduler = scheduler;
        Overlap = overlap;
        _main = backend.DefaultStream;
        if (overlap)
        {
            _prefetchStream = backend.CreateStream();
            _reduceStream = backend.CreateStream();
            _mainMark = backend.CreateEvent();
            _prefetchDone = backend.CreateEvent();
            _reduceDone = backend.CreateEvent();
        }
    }

    /// <summary>The scheduler that picks chunks to evict and predicts the next chunk.</summary>
    public ChunkScheduler Scheduler { get; }

    /// <summary>True when gathers are prefetched and reduces overlapped on side streams.</summary>
    public bool Overlap { get; }

    /// <summary>The compute step in progress; -1 before the first fetch of an iteration.</summary>
    public int CurrentStep => Scheduler.CurrentStep;

    /// <summary>Chunks gathered so far, prefetches included.</summary>
    public long Gathers { get; private set; }

    /// <summary>Chunks evicted (scattered back) to make room so far.</summary>
    public long Evictions { get; private set; }

    /// <summary>Steps that found their predicted chunk already being gathered.</summary>
    public long PrefetchHits { get; private set; }

    /// <summary>Chunks reduce-scattered so far.</summary>
    public long Reduces { get; private set; }

    /// <summary>Groups <paramref name="tensors"/> for repeated use by one compute step; call at set-up, it allocates.</summary>
    public TensorGroup CreateGroup(ReadOnlySpan<TensorHandle> tensors)
    {
        foreach (var tensor in tensors)
        {
            CheckTensor(tensor);
        }

        return new TensorGroup(tensors);
    }


    /// <summary>Starts an iteration: no chunk is releasable and the step counter is back before the first step.</summary>
    public void Reset()
    {
        SettleSideStreams();
        Scheduler.Reset();
    }

    /// <summary>
    /// Ends an iteration: waits for side-stream work, finishes a pending reduce (so every chunk's overflow flag and
    /// norm are final) and empties the scheduler. Chunks still releasable make it throw, changing nothing (release
    /// them with <see cref="ScatterAll"/> first).
    /// </summary>
    public void Clear()
    {
        if (Scheduler.Count == 0)
        {
            SettleSideStreams();
        }

        // Throws, changing nothing, while chunks are still releasable.
        Scheduler.Clear();
    }

    /// <summary>Scatters every releasable chunk back to its shard and clears; used after an inference pass.</summary>
    public void ScatterAll()
    {
        var prefetched = _prefetching ? _predicted : ChunkScheduler.NoChunk;
        SettleSideStreams();
        if (prefetched != ChunkScheduler.NoChunk && _chunks.CanScatter(prefetched))
        {
            Scheduler.Add(prefetched);
        }

        for (var chunk = Scheduler.Top; chunk != ChunkScheduler.NoChunk; chunk = Scheduler.Top)
        {
            Scheduler.Remove(chunk);
            _chunks.Scatter(chunk, _main);
        }

        Scheduler.Clear();
    }

    /// <summary>
    /// Moves the group's tensors to compute (a tensor already computing stays so) and takes their chunks out of the
    /// releasable set. Call before <see cref="Gather"/>. An illegal transition throws and changes nothing.
    /// </summary>
    public void ToCompute(TensorGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        Transition(group, TensorState.Compute);
        foreach (var chunk in group.Chunks)
        {
            Scheduler.Remove(chunk);
        }
    }

    /// <summary>
    /// Moves the group's tensors out of compute after the step (to hold in the forward pass, to hold-after-backward
    /// in the backward pass) and makes their chunks releasable where no tensor still computes.
    /// </summary>
    public void ToHold(TensorGroup group, ComputePhase phase)
    {
        ArgumentNullException.ThrowIfNull(group);
        Transition(group, phase == ComputePhase.Forward ? TensorState.Hold : TensorState.HoldAfterBackward);
        foreach (var chunk in group.Chunks)
        {
            if (_chunks.CanScatter(chunk))
            {
                Scheduler.Add(chunk);
            }
        }
    }

    /// <summary>
    /// Starts the next step and makes sure the group's chunks are gathered: waits for a prefetch that predicted
    /// them, gathers the rest (evicting the scheduler's choice when the rCache is full) and, with overlap on, starts
    /// gathering the next predicted chunk. Throws <see cref="RCacheTooSmallException"/>, changing nothing, when the
    /// chunks cannot all have a block, and <see cref="InvalidOperationException"/> when the step is past the
    /// scheduler's profile.
    /// </summary>
    public void Gather(TensorGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var chunks = group.Chunks;
        CheckCapacity(chunks);
        Scheduler.Step();

        var hit = false;
        if (_predicted != ChunkScheduler.NoChunk && chunks.Contains(_predicted))
        {
            hit = true;
            if (_prefetching)
            {
                PrefetchHits++;
                WaitForPrefetch();
            }
        }

        var scattered = 0;
        foreach (var chunk in chunks)
        {
            if (!_chunks.IsGathered(chunk))
            {
                scattered++;
            }
        }

        if (scattered == 0)
        {
            if (hit)
            {
                Prefetch(chunks);
            }

            return;
        }

        if (_prefetching)
        {
            // A missed prediction: gathers here must follow the prefetch, and its chunk, unused for now, may go.
            var missed = _predicted;
            WaitForPrefetch();
            if (_chunks.CanScatter(missed))
            {
                Scheduler.Add(missed);
            }
        }

        foreach (var chunk in chunks)
        {
            if (_chunks.IsGathered(chunk))
            {
                continue;
            }

            if (!_chunks.IsFused(chunk) && _chunks.FreePublicBlocks == 0 && !ReclaimPendingBlock())
            {
                Evict(Scheduler.Top, _main);
            }

            _chunks.Gather(chunk, _main);
            Gathers++;
        }

        if (Overlap)
        {
            Prefetch(chunks);
        }
    }

    /// <summary>
    /// Moves a tensor whose gradient is now written into its chunk slice to ready-for-reduce, and reduce-scatters
    /// its chunk when it was the last one. Returns true when the chunk was reduced.
    /// </summary>
    public bool GradientReady(TensorHandle tensor)
    {
        CheckReadyForReduce(tensor);
        _chunks.Transition(tensor.Chunk, tensor.Tensor, TensorState.ReadyForReduce);
        return ReduceIfReady(tensor.Chunk);
    }

    /// <summary>
    /// Stores a tensor's finished gradient: writes <paramref name="gradient"/> (of <paramref name="gradientType"/>)
    /// over the tensor's slice of its gathered chunk, rounding to the chunk's type, then continues as
    /// <see cref="GradientReady"/>. A tensor not in backward throws before anything is written.
    /// </summary>
    public bool StoreGradient(TensorHandle tensor, BufferSlice gradient, DType gradientType)
    {
        CheckReadyForReduce(tensor);
        _chunks.WriteGradient(tensor.Chunk, tensor.Tensor, gradient, gradientType);
        _chunks.Transition(tensor.Chunk, tensor.Tensor, TensorState.ReadyForReduce);
        return ReduceIfReady(tensor.Chunk);
    }

    /// <summary>Reduce-scatters <paramref name="chunk"/> when every tensor in it is ready; returns whether it did.</summary>
    private bool ReduceIfReady(int chunk)
    {
        if (!_chunks.CanReduce(chunk))
        {
            return false;
        }

        if (!Overlap)
        {
            _chunks.StartReduce(chunk, _reduceAlwaysFp32, _main);
            _chunks.FinishReduce(chunk, _main);
        }
        else
        {
            // The reduce reads gradients the compute stream wrote, so it waits for the compute stream so far.
            _main.Record(_mainMark!);
            _reduceStream!.Wait(_mainMark!);
            ReclaimPendingBlock();
            _chunks.StartReduce(chunk, _reduceAlwaysFp32, _reduceStream);
            _reduceStream.Record(_reduceDone!);
            _pendingReduce = chunk;
        }

        Scheduler.Remove(chunk);
        Reduces++;
        return true;
    }

    /// <summary>Frees the side streams and events.</summary>
    public void Dispose()
    {
        _prefetchStream?.Dispose();
        _reduceStream?.Dispose();
        _mainMark?.Dispose();
        _prefetchDone?.Dispose();
        _reduceDone?.Dispose();
    }

    private void Evict(int chunk, IStream stream)
    {
        Scheduler.Remove(chunk);
        _chunks.Scatter(chunk, stream);
        Evictions++;
    }
}
