using Elixir.Chunks;
using Elixir.Collectives;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Numerics;

namespace Elixir.Tests.Chunks;

/// <summary>One rank's group with one closed 32-element chunk holding a <see cref="BlockF32"/> (or its fp16/bf16 twin).</summary>
internal sealed class RankSetup<T> : IDisposable where T : unmanaged
{
    public const long ChunkSize = 32;
    public static readonly long[] Counts = [5, 7, 3, 9];

    public RankSetup(RankContext rank, bool fused = false, MemoryLocation shardLocation = MemoryLocation.Device, int publicBlocks = 2)
    {
        Rank = rank;
        var (backend, communicator) = (rank.Backend, rank.Communicator);
        Backend = backend;
        Communicator = communicator;
        Type = DTypeInfo.Of<T>();
        (Table, Binding, Counter) = Type switch
        {
            DType.Float32 => Instance<BlockF32>(),
            DType.Float16 => Instance<BlockF16>(),
            _ => Instance<BlockBF16>(),
        };
        var pool = new RCache(backend, $"rcache{communicator.Rank}", ChunkSize, Type, publicBlocks, [(ChunkSize, Type)]);
        Group = new ChunkGroup(pool, backend, communicator, rank.Kernels);
        Chunk = Group.OpenChunk(ChunkSize, Type, shardLocation, fused);
        for (int t = 0; t < Counts.Length; t++)
        {
            using var initial = backend.Allocate(Counts[t] * Type.SizeOf(), MemoryLocation.Host);
            var values = initial.All.AsSpan<T>();
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = TestValues.To<T>(TestValues.Parameter(t, i));
            }

            Chunk.Append(Binding, Counter, t, initial.All);
            Backend.DefaultStream.Synchronize();
        }

        Group.CloseChunk(Chunk);
    }

    public RankContext Rank { get; }

    public IMemoryBackend Backend { get; }

    public ICommunicator Communicator { get; }

    public DType Type { get; }

    public LayoutTable Table { get; }

    public LayoutBinding Binding { get; }

    public ITensorStateCounter Counter { get; }

    public ChunkGroup Group { get; }

    public Chunk Chunk { get; }

    public void MoveAll(params ReadOnlySpan<TensorState> path)
    {
        foreach (var state in path)
        {
            for (int t = 0; t < Counts.Length; t++)
            {
                Group.TransitionTensor(Counter, t, state);
            }
        }
    }

    /// <summary>Writes this rank's test gradient of every tensor into the gathered chunk.</summary>
    public void WriteGradients(Func<int, int, long, float> gradient)
    {
        for (int t = 0; t < Counts.Length; t++)
        {
            using var buffer = Backend.Allocate(Counts[t] * Type.SizeOf(), MemoryLocation.Host);
            var values = buffer.All.AsSpan<T>();
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = TestValues.To<T>(gradient(Communicator.Rank, t, i));
            }

            Chunk.WriteGradient(t, buffer.All);
            Backend.DefaultStream.Synchronize();
        }
    }

    /// <summary>Tensor <paramref name="tensor"/> as the binding of the gathered chunk addresses it, copied to the host.</summary>
    public T[] ReadBoundTensor(int tensor)
    {
        var block = Chunk.Block!.Payload;
        long offset = Binding.AddressOf(tensor) - block.Address;
        Assert.InRange(offset, 0, block.ByteLength - Counts[tensor] * Type.SizeOf());
        return Rank.Read<T>(block.Slice(offset, Counts[tensor] * Type.SizeOf()));
    }

    public void Dispose() => Group.Dispose();

    private static (LayoutTable, LayoutBinding, ITensorStateCounter) Instance<TLayout>()
        where TLayout : struct, IChunkLayout<TLayout>
    {
        var instance = new LayoutInstance<TLayout>();
        return (instance.Table, instance.Binding, instance.Counter);
    }
}
