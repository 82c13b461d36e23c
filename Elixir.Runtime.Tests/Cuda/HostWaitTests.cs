using System.Diagnostics;
using Elixir.Collectives.Nccl;
using Elixir.Cuda;
using Elixir.Interop;

namespace Elixir.Runtime.Tests.Cuda;

/// <summary>The host wait against fake communicators and fake events: no GPU, no NCCL.</summary>
public sealed class HostWaitTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(150);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Work_that_finishes_returns_without_aborting(int ranks)
    {
        FakeWatch[] watches = [.. Enumerable.Range(0, ranks).Select(rank => new FakeWatch(rank, TimeSpan.FromSeconds(30)))];
        FakeCompletion[] events = [.. Enumerable.Range(0, ranks).Select(_ => new FakeCompletion { CompleteAfterPolls = 20 })];

        Parallel.For(0, ranks, new ParallelOptions { MaxDegreeOfParallelism = ranks }, rank => HostWait.Poll(events[rank], [watches[rank]]));

        Assert.All(watches, watch => Assert.Equal(0, watch.Aborts));
        Assert.All(events, e => Assert.True(e.IsComplete));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Past_the_timeout_every_waiting_rank_aborts_and_throws_naming_collective_rank_and_timeout(int ranks)
    {
        // The last rank is dead (never joins), so the others' collectives never complete; a single rank stands for stalled work.
        int waiting = Math.Max(1, ranks - 1);
        FakeWatch[] watches = [.. Enumerable.Range(0, waiting).Select(rank => new FakeWatch(rank, Short) { PendingCollective = "collective #7, AllGather(Float16, 4096 elements)" })];
        var errors = new Exception?[waiting];
        var elapsed = new TimeSpan[waiting];

        Parallel.For(0, waiting, new ParallelOptions { MaxDegreeOfParallelism = waiting }, rank =>
        {
            long start = Stopwatch.GetTimestamp();
            errors[rank] = Record.Exception(() => HostWait.Poll(new FakeCompletion(), [watches[rank]]));
            elapsed[rank] = Stopwatch.GetElapsedTime(start);
        });

        for (int rank = 0; rank < waiting; rank++)
        {
            var e = Assert.IsType<CollectiveTimeoutException>(errors[rank]);
            Assert.Equal(rank, e.Rank);
            Assert.Equal(Short, e.Timeout);
            Assert.Equal("collective #7, AllGather(Float16, 4096 elements)", e.Collective);
            Assert.StartsWith($"Rank {rank} waited more than 0.15 s for collective #7, AllGather(Float16, 4096 elements);", e.Message);
            Assert.Equal(1, watches[rank].Aborts);
            Assert.InRange(elapsed[rank], Short, TimeSpan.FromSeconds(20));
        }
    }

    [Theory]
    [InlineData(6, "ncclRemoteError")]
    [InlineData(2, "ncclSystemError")]
    [InlineData(42, "ncclResult_t 42")]
    public void An_async_error_aborts_at_once_and_names_rank_collective_and_error(int code, string name)
    {
        var error = (ncclResult_t)code;
        var watch = new FakeWatch(1, TimeSpan.FromMinutes(10)) { PendingCollective = "collective #3, ReduceScatter(Float32, 8 elements)", Error = error };

        long start = Stopwatch.GetTimestamp();
        NcclException e = Assert.Throws<NcclException>(() => HostWait.Poll(new FakeCompletion(), [watch]));

        Assert.True(Stopwatch.GetElapsedTime(start) < TimeSpan.FromSeconds(20));
        Assert.Equal("rank 1 waiting for collective #3, ReduceScatter(Float32, 8 elements) (communicator aborted)", e.Call);
        Assert.Equal(code, e.Code);
        Assert.Equal(name, e.ErrorName);
        Assert.Equal(1, watch.Aborts);
    }

    [Fact]
    public void A_failure_on_one_attached_communicator_aborts_all_of_them()
    {
        var healthy = new FakeWatch(0, TimeSpan.FromMinutes(10));
        var failed = new FakeWatch(0, TimeSpan.FromMinutes(10)) { Error = ncclResult_t.ncclRemoteError };

        Assert.Throws<NcclException>(() => HostWait.Poll(new FakeCompletion(), [healthy, failed]));

        Assert.Equal(1, healthy.Aborts);
        Assert.Equal(1, failed.Aborts);
    }

    [Fact]
    public void A_start_up_in_progress_is_awaited_until_it_settles()
    {
        var watch = new FakeWatch(2, TimeSpan.FromSeconds(30)) { Error = ncclResult_t.ncclInProgress, SettleAfterPolls = 25 };

        HostWait.ForProgress(watch);

        Assert.Equal(ncclResult_t.ncclSuccess, watch.AsyncError());
        Assert.Equal(0, watch.Aborts);
    }

    [Fact]
    public void A_start_up_whose_peer_never_arrives_times_out_naming_the_start_up()
    {
        var watch = new FakeWatch(3, Short) { Error = ncclResult_t.ncclInProgress, PendingCollective = "ncclCommInitRankConfig (communicator start-up)" };

        CollectiveTimeoutException e = Assert.Throws<CollectiveTimeoutException>(() => HostWait.ForProgress(watch));

        Assert.Equal("ncclCommInitRankConfig (communicator start-up)", e.Collective);
        Assert.Equal(3, e.Rank);
        Assert.Equal(1, watch.Aborts);
    }

    [Fact]
    public void Attached_communicators_make_waits_poll_until_detached()
    {
        var waits = new HostWait();
        var first = new FakeWatch(0, Short);
        var second = new FakeWatch(0, Short);

        Assert.False(waits.HasCollectives);
        waits.Attach(first);
        waits.Attach(second);
        waits.Detach(first);
        Assert.True(waits.HasCollectives);
        Assert.Throws<CollectiveTimeoutException>(() => waits.For(new FakeCompletion()));
        Assert.Equal((0, 1), (first.Aborts, second.Aborts));
        waits.Detach(second);
        Assert.False(waits.HasCollectives);
    }

    private sealed class FakeCompletion : ICompletion
    {
        private int polls;

        internal int CompleteAfterPolls { get; init; } = int.MaxValue;

        public bool IsComplete => Interlocked.Increment(ref polls) > CompleteAfterPolls;
    }

    private sealed class FakeWatch(int rank, TimeSpan timeout) : ICollectiveWatch
    {
        private int polls;
        private int aborts;

        public int Rank => rank;

        public TimeSpan Timeout => timeout;

        public string PendingCollective { get; init; } = "collective #0";

        internal ncclResult_t Error { get; init; }

        internal int SettleAfterPolls { get; init; } = int.MaxValue;

        internal int Aborts => Volatile.Read(ref aborts);

        public ncclResult_t AsyncError() =>
            Error == ncclResult_t.ncclInProgress && Interlocked.Increment(ref polls) > SettleAfterPolls ? ncclResult_t.ncclSuccess : Error;

        public void Abort() => Interlocked.Increment(ref aborts);
    }
}
