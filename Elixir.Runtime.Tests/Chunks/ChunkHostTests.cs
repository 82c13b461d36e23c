namespace Elixir.Tests.Chunks;

/// <summary><see cref="ChunkTests"/> on host ranks sharing one host backend.</summary>
public sealed class ChunkHostTests : ChunkTests
{
    private protected override RankEnvironment CreateEnvironment() => new HostRankEnvironment();
}
