namespace Elixir.Collectives;

/// <summary>The collective operations, as named in fingerprints and messages.</summary>
public enum CollectiveKind : byte
{
    /// <summary><see cref="ICommunicator.AllGather"/>.</summary>
    AllGather,
    /// <summary><see cref="ICommunicator.ReduceScatter"/>.</summary>
    ReduceScatter,
    /// <summary><see cref="ICommunicator.AllReduce(Memory.BufferSlice, Memory.BufferSlice, Numerics.DType, ReduceOp, Memory.IStream?)"/>.</summary>
    AllReduce,
    /// <summary><see cref="ICommunicator.AllReduce(double, ReduceOp)"/>.</summary>
    AllReduceScalar,
    /// <summary><see cref="ICommunicator.Broadcast"/>.</summary>
    Broadcast,
    /// <summary><see cref="ICommunicator.Barrier"/>.</summary>
    Barrier,
}
