using Elixir.Runtime.Tests.Cuda;

namespace Elixir.Tests.Chunks;

/// <summary><see cref="ChunkTests"/> with one GPU, CUDA kernels and an NCCL communicator per rank.</summary>
[Trait("Category", GpuRequirement.Category)]
public sealed class ChunkGpuTests : ChunkTests
{
    private protected override RankEnvironment CreateEnvironment() => new CudaRankEnvironment();
}
