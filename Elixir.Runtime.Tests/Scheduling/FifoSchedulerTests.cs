using Elixir.Scheduling;

namespace Elixir.Runtime.Tests.Scheduling;

public sealed class FifoSchedulerTests
{
    [Fact]
    public void Top_IsTheOldest_AndRepeatsAndAbsentRemovesChangeNothing()
    {
        // The sequence of upstream's exam_fifo, expected values worked out by hand.
        var scheduler = new FifoScheduler(3);
        Assert.Equal(ChunkScheduler.NoChunk, scheduler.Top);

        Assert.True(scheduler.Add(0));
        Assert.True(scheduler.Add(1));
        Assert.True(scheduler.Add(2));
        Assert.False(scheduler.Add(0));
        Assert.Equal(0, scheduler.Top);
        Assert.Equal(3, scheduler.Count);

        Assert.True(scheduler.Remove(0));
        Assert.Equal(1, scheduler.Top);
        Assert.False(scheduler.Remove(0));
        Assert.Equal(1, scheduler.Top);

        scheduler.Add(0);
        Assert.Equal(1, scheduler.Top);
        scheduler.Remove(1);
        Assert.Equal(2, scheduler.Top);
        scheduler.Remove(2);
        Assert.Equal(0, scheduler.Top);
        scheduler.Remove(0);
        Assert.Equal(ChunkScheduler.NoChunk, scheduler.Top);
        Assert.Equal(0, scheduler.Count);
    }

    [Fact]
    public void RandomOperations_MatchAPlainList()
    {
        const int chunks = 17;
        var scheduler = new FifoScheduler(chunks);
        var reference = new List<int>();
        var random = new Random(1234);
        for (var i = 0; i < 5000; i++)
        {
            var chunk = random.Next(chunks);
            var op = random.Next(10);
            if (op < 5)
            {
                Assert.Equal(!reference.Contains(chunk), scheduler.Add(chunk));
                if (!reference.Contains(chunk))
                {
                    reference.Add(chunk);
                }
            }
            else if (op < 9)
            {
                Assert.Equal(reference.Remove(chunk), scheduler.Remove(chunk));
            }
            else
            {
                scheduler.Reset();
                reference.Clear();
            }

            Assert.Equal(reference.Count, scheduler.Count);
            Assert.Equal(reference.Count == 0 ? ChunkScheduler.NoChunk : reference[0], scheduler.Top);
            Assert.Equal(reference.Contains(chunk), scheduler.Contains(chunk));
        }
    }

    [Fact]
    public void Clear_WithReleasableChunks_ThrowsAndKeepsThem()
    {
        var scheduler = new FifoScheduler(4);
        scheduler.Step();
        scheduler.Add(3);
        scheduler.Add(1);

        var error = Assert.Throws<InvalidOperationException>(scheduler.Clear);

        Assert.Contains("2 chunk(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("chunk 3", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, scheduler.Count);
        Assert.Equal(3, scheduler.Top);
        Assert.Equal(0, scheduler.CurrentStep);

        scheduler.Remove(3);
        scheduler.Remove(1);
        scheduler.Clear();
        Assert.Equal(-1, scheduler.CurrentStep);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    public void ChunkOutsideTheRange_Throws(int chunk)
    {
        var scheduler = new FifoScheduler(4);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.Add(chunk));
        Assert.Contains($"chunk {chunk} is outside [0, 4)", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => scheduler.Remove(chunk));
        Assert.Equal(0, scheduler.Count);
    }

    [Fact]
    public void SteadyState_AllocatesNothing()
    {
        var scheduler = new FifoScheduler(8);
        Churn(scheduler);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Churn(scheduler);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Churn(FifoScheduler scheduler)
    {
        scheduler.Reset();
        for (var step = 0; step < 32; step++)
        {
            scheduler.Step();
            scheduler.Add(step % 8);
            scheduler.Add((step * 3) % 8);
            if (scheduler.Count > 4)
            {
                scheduler.Remove(scheduler.Top);
            }
        }

        while (scheduler.Count > 0)
        {
            scheduler.Remove(scheduler.Top);
        }

        scheduler.Clear();
    }
}
