using Elixir.Chunks;
using Elixir.Collectives;
using Elixir.Collectives.Host;
using Elixir.Kernels.Host;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Memory.Host;
using Elixir.Numerics;

namespace Elixir.Runtime.Tests.Streams;

/// <summary>Chunk operations issue every copy, cast, collective and check on the stream they are given.</summary>
public sealed class ChunkStreamTests
{
    private const long Size = 16;
    private static readonly LocalClusterOptions Options = new() { Checked = true, CollectiveTimeout = TimeSpan.FromSeconds(20) };

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(4, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(4, true)]
    public void SyncReduce_RunsTheCollectiveCastsCopyAndChecksOnTheGivenStream(int worldSize, bool fp16InFp32)
    {
        var backend = new HostMemoryBackend();
        LocalCluster.Run(worldSize, comm =>
        {
            using var rank = new Rank(backend, comm, fp16InFp32 ? DType.Float16 : DType.Float32);
            var side = rank.Backend.CreateStream();
            rank.Chunk.L2NormEnabled = true;

            rank.Group.Gather(rank.Chunk, side);
            rank.MarkReadyForReduce();
            rank.Group.Reduce(rank.Chunk, alwaysFp32: fp16InFp32, stream: side);
            Assert.Null(rank.Chunk.Block);

            // One rank has nothing to reduce; an fp16 chunk is widened to fp32 around the collective.
            (string, string)[] collective = worldSize == 1 ? []
                : fp16InFp32 ? [("cast", "side"), ("reduce-scatter", "side"), ("cast", "side")]
                : [("reduce-scatter", "side")];
            Assert.Equal(
                [
                    ("copy", "side"), ("all-gather", "side"), .. collective,
                    ("copy", "side"), ("has-non-finite", "side"), ("sum-of-squares", "side"),
                ],
                rank.Issued());
        }, Options);
        Assert.Equal(0, backend.LiveBuffers);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void DeferredReduce_ChecksOnTheStreamThatFinishesIt(int worldSize)
    {
        var backend = new HostMemoryBackend();
        LocalCluster.Run(worldSize, comm =>
        {
            using var rank = new Rank(backend, comm, DType.Float32);
            var side = rank.Backend.CreateStream();
            rank.Chunk.L2NormEnabled = true;

            rank.Group.Gather(rank.Chunk);
            rank.MarkReadyForReduce();
            rank.Group.StartReduce(rank.Chunk, stream: side);
            rank.Group.FinishReduce(rank.Chunk, rank.Backend.DefaultStream);

            Assert.Equal(
                [
                    ("copy", StreamLog.Main), ("all-gather", StreamLog.Main),
                    .. worldSize > 1 ? [("reduce-scatter", "side")] : Array.Empty<(string, string)>(),
                    ("copy", "side"), ("has-non-finite", StreamLog.Main), ("sum-of-squares", StreamLog.Main),
                ],
                rank.Issued());
            Assert.Equal(1, rank.Group.Pool.FreePublicCount);
        }, Options);
        Assert.Equal(0, backend.LiveBuffers);
    }

    [Theory]
    [InlineData(1, MemoryLocation.Device)]
    [InlineData(2, MemoryLocation.Device)]
    [InlineData(4, MemoryLocation.Device)]
    [InlineData(1, MemoryLocation.Host)]
    [InlineData(2, MemoryLocation.Host)]
    [InlineData(4, MemoryLocation.Host)]
    public void OptimizerRefresh_CastsOnTheGivenStream_EagerlyOrAtTheNextGather(int worldSize, MemoryLocation location)
    {
        var backend = new HostMemoryBackend();
        LocalCluster.Run(worldSize, comm =>
        {
            var log = new StreamLog();
            var recording = new StreamRecordingBackend(backend, log, "side");
            var kernels = new StreamRecordingKernels(new HostKernels(), log);
            var communicator = new StreamRecordingCommunicator(comm, log);
            using var halfPool = new RCache(recording, "half", Size, DType.Float16, 1);
            using var masterPool = new RCache(recording, "master", Size, DType.Float32, 0);
            using var half = NewChunk<StreamLayerHalf>(halfPool, recording, communicator, kernels, DType.Float16, location);
            using var master = NewChunk<StreamLayer>(masterPool, recording, communicator, kernels, DType.Float32, location);
            var side = recording.CreateStream();
            half.InitPair(master);
            log.Operations.Clear();

            half.RefreshFromMaster(side);
            var block = halfPool.GetPublicBlock();
            half.Gather(block, side);
            halfPool.FreePublicBlock(half.Scatter(side));

            // Offloaded, the refresh is a cast into the gather and the stale shard is copied back at release.
            (string, string)[] expected = location == MemoryLocation.Device
                ? [("cast", "side"), ("copy", "side"), ("all-gather", "side")]
                : [("cast", "side"), ("all-gather", "side"), ("copy", "side")];
            Assert.Equal(expected, log.Operations.Select(o => (o.Kind, o.Stream)));
            Assert.True(half.OptimizerSynced);
        }, Options);
        Assert.Equal(0, backend.LiveBuffers);
    }

    private static Chunk NewChunk<TLayout>(
        RCache pool,
        IMemoryBackend backend,
        ICommunicator communicator,
        StreamRecordingKernels kernels,
        DType type,
        MemoryLocation location)
        where TLayout : struct, IChunkLayout<TLayout>
    {
        var chunk = new Chunk(pool, backend, communicator, kernels, Size, type, location);
        chunk.Append(new LayoutBinding(TLayout.CreateTable(LayoutDimensions.None)), TLayout.CreateStateCounter(), 0);
        chunk.Close();
        return chunk;
    }

    /// <summary>One rank's group of a single fp32 or fp16 chunk over recording wrappers, its log cleared after set-up.</summary>
    private sealed class Rank : IDisposable
    {
        private readonly StreamLog _log = new();
        private readonly ITensorStateCounter _counter;

        public Rank(IMemoryBackend backend, ICommunicator communicator, DType type)
        {
            Backend = new StreamRecordingBackend(backend, _log, "side");
            Group = new ChunkGroup(
                new RCache(Backend, $"rcache{communicator.Rank}", Size, type, 1),
                Backend,
                new StreamRecordingCommunicator(communicator, _log),
                new StreamRecordingKernels(new HostKernels(), _log));
            var binding = new LayoutBinding(type == DType.Float16
                ? StreamLayerHalf.CreateTable(LayoutDimensions.None)
                : StreamLayer.CreateTable(LayoutDimensions.None));
            _counter = type == DType.Float16 ? StreamLayerHalf.CreateStateCounter() : StreamLayer.CreateStateCounter();
            Chunk = Group.AllocateChunk([(binding, _counter, 0)], Size, type, MemoryLocation.Device);
            _log.Operations.Clear();
        }

        public StreamRecordingBackend Backend { get; }

        public ChunkGroup Group { get; }

        public Chunk Chunk { get; }

        public void MarkReadyForReduce()
        {
            Group.TransitionTensor(_counter, 0, TensorState.Compute);
            Group.TransitionTensor(_counter, 0, TensorState.HoldAfterBackward);
            Group.TransitionTensor(_counter, 0, TensorState.ReadyForReduce);
        }

        public (string Kind, string Stream)[] Issued() => [.. _log.Operations.Select(o => (o.Kind, o.Stream))];

        public void Dispose() => Group.Dispose();
    }
}
