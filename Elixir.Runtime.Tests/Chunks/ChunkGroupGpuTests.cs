using Elixir.Runtime.Tests.Cuda;

namespace Elixir.Tests.Chunks;

/// <summary><see cref="ChunkGroupTests"/> with one GPU, CUDA kernels and an NCCL communicator per rank.</summary>
[Trait("Category", GpuRequirement.Category)]
public sealed class ChunkGroupGpuTests : ChunkGroupTests
{
    private protected override RankEnvironment CreateEnvironment() => new CudaRankEnvironment();
}
