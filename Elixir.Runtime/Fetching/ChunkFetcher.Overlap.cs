using Elixir.Memory;
using Elixir.Scheduling;

namespace Elixir.Fetching;

/// <content>
/// Overlap: the next chunk is gathered on the prefetch stream while the compute stream works, and reduces run on
/// the reduce stream, their blocks going back to the pool only once the compute stream is ordered after them.
/// </content>
public sealed partial class ChunkFetcher
{
    private void Prefetch(ReadOnlySpan<int> stepChunks)
    {
        var next = Scheduler.NextChunk(stepChunks);
        _predicted = next;
        if (next == ChunkScheduler.NoChunk || _chunks.IsGathered(next))
        {
            return;
        }

        var victim = ChunkScheduler.NoChunk;
        if (!_chunks.IsFused(next) && _chunks.FreePublicBlocks == 0 && !ReclaimPendingBlock())
        {
            // Prefetching is optional: with nothing to evict, the chunk is gathered when its step comes.
            victim = Scheduler.Top;
            if (victim == ChunkScheduler.NoChunk)
            {
                return;
            }
        }

        // The gather may overwrite the victim's block, which the compute stream may still be reading.
        _main.Record(_mainMark!);
        _prefetchStream!.Wait(_mainMark!);
        if (victim != ChunkScheduler.NoChunk)
        {
            Evict(victim, _prefetchStream);
        }

        _chunks.Gather(next, _prefetchStream);
        _prefetchStream.Record(_prefetchDone!);
        _prefetching = true;
        Gathers++;
    }

    private void WaitForPrefetch()
    {
        _main.Wait(_prefetchDone!);
        _predicted = ChunkScheduler.NoChunk;
        _prefetching = false;
    }

    /// <summary>Hands the block of an overlapped reduce back to the pool, ordering the compute stream after the reduce.</summary>
    private bool ReclaimPendingBlock()
    {
        if (_pendingReduce == ChunkScheduler.NoChunk)
        {
            return false;
        }

        _main.Wait(_reduceDone!);
        _chunks.FinishReduce(_pendingReduce, _main);
        _pendingReduce = ChunkScheduler.NoChunk;
        return true;
    }

    /// <summary>Waits for outstanding side-stream work and finishes it; nothing is waited for when nothing is outstanding.</summary>
    private void SettleSideStreams()
    {
        if (_prefetching)
        {
            _prefetchStream!.Synchronize();
            _prefetching = false;
        }

        _predicted = ChunkScheduler.NoChunk;
        if (_pendingReduce != ChunkScheduler.NoChunk)
        {
            _reduceStream!.Synchronize();
            ReclaimPendingBlock();
        }
    }
}
