using System.Runtime.InteropServices;
using Elixir.Checkpoints;
using Elixir.Safetensors;
using static Elixir.Runtime.Tests.Checkpoints.CheckpointTestData;

namespace Elixir.Runtime.Tests.Checkpoints;

public sealed class ShardedCheckpointTests : IDisposable
{
    private readonly string _directory = NewDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 2)]
    [InlineData(2, 4)]
    [InlineData(4, 4)]
    [InlineData(2, 1)]
    [InlineData(1, 4)]
    public void SavedOnNRanks_LoadsOnMRanksWithIdenticalValues(int saveWorld, int loadWorld)
    {
        Save(saveWorld);

        for (int rank = 0; rank < loadWorld; rank++)
        {
            (List<ShardTarget> targets, List<byte[]> buffers) = RankTargets(rank, loadWorld);
            ShardedCheckpoint.Load(_directory, "model", targets);

            for (int t = 0; t < Tensors.Length; t++)
            {
                (long start, long end) = Range(Count(Tensors[t].Shape), rank, loadWorld);
                float[] expected = Values(Tensors[t].Name, Count(Tensors[t].Shape))[(int)start..(int)end];
                Assert.Equal(expected, MemoryMarshal.Cast<byte, float>(buffers[t]).ToArray());
            }
        }
    }

    [Fact]
    public void RankFiles_RecordGlobalShapeAndSliceAndTheIndexListsEveryHolder()
    {
        Save(4);

        SafetensorsHeader rank1 = SafetensorsHeader.Read(Path.Combine(_directory, "model-00002-of-00004.safetensors"));
        // Embedding has 35 elements: 9 per rank, rank 1 holds [9, 18).
        Assert.Equal("7,5;9,18", rank1.Metadata["slice:Embedding"]);
        Assert.Equal([9L], rank1["Embedding"].Shape);
        string index = File.ReadAllText(Path.Combine(_directory, "model.safetensors.index.json"));
        Assert.Contains("\"Scalar\": [\n      \"model-00001-of-00004.safetensors\"\n    ]", index.Replace("\r", ""));
    }

    [Fact]
    public void MissingTensor_ThrowsNamingIndexAndTensorAndWritesNothing()
    {
        Save(2);
        (List<ShardTarget> targets, List<byte[]> buffers) = RankTargets(0, 1);
        targets.Add(new ShardTarget(Shard("Absent", [2], 0, 2), new byte[8]));

        var error = Assert.Throws<CheckpointFormatException>(() => ShardedCheckpoint.Load(_directory, "model", targets));

        Assert.Equal("Absent", error.TensorName);
        Assert.EndsWith("model.safetensors.index.json", error.FilePath);
        Assert.All(buffers, b => Assert.All(b, x => Assert.Equal(0, x)));
    }

    [Fact]
    public void MissingRankFile_LeavesAGapThatIsReported()
    {
        Save(2);
        File.Delete(Path.Combine(_directory, "model-00002-of-00002.safetensors"));
        (List<ShardTarget> targets, _) = RankTargets(0, 1);

        Assert.Throws<FileNotFoundException>(() => ShardedCheckpoint.Load(_directory, "model", targets));
    }

    [Fact]
    public void WrongShape_ThrowsNamingFileAndTensor()
    {
        Save(2);
        var target = new ShardTarget(Shard("Embedding", [5, 7], 0, 35), new byte[140]);

        var error = Assert.Throws<CheckpointFormatException>(() => ShardedCheckpoint.Load(_directory, "model", [target]));

        Assert.Equal("Embedding", error.TensorName);
        Assert.Contains("7,5", error.Message);
    }

    [Fact]
    public void TruncatedRankFile_ThrowsNamingTheFileAndWritesNothing()
    {
        Save(2);
        string file = Path.Combine(_directory, "model-00002-of-00002.safetensors");
        byte[] bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..^4]);
        (List<ShardTarget> targets, List<byte[]> buffers) = RankTargets(0, 1);

        var error = Assert.Throws<SafetensorsFormatException>(() => ShardedCheckpoint.Load(_directory, "model", targets));

        Assert.Equal(file, error.FilePath);
        Assert.All(buffers, b => Assert.All(b, x => Assert.Equal(0, x)));
    }

    [Fact]
    public void CorruptIndex_ThrowsNamingTheIndex()
    {
        Save(2);
        string index = Path.Combine(_directory, "model.safetensors.index.json");
        File.WriteAllText(index, "{\"metadata\": {}}");

        var error = Assert.Throws<SafetensorsFormatException>(() => ShardedCheckpoint.Load(_directory, "model", RankTargets(0, 1).Targets));

        Assert.Equal(index, error.FilePath);
    }

    [Fact]
    public void SliceDataOfTheWrongLength_IsRejectedAtSave()
    {
        var bad = new ShardData(Shard("Embedding", [7, 5], 0, 10), new byte[36]);

        var error = Assert.Throws<ArgumentException>(() => ShardedCheckpoint.SaveRank(_directory, "model", CheckpointStamp.New(0), 0, 1, [bad]));

        Assert.Contains("Embedding", error.Message);
        Assert.Contains("40", error.Message);
    }

    private void Save(int worldSize)
    {
        var stamp = CheckpointStamp.New(3);
        for (int rank = 0; rank < worldSize; rank++)
        {
            ShardedCheckpoint.SaveRank(_directory, "model", stamp, rank, worldSize, RankSlices(rank, worldSize));
        }

        ShardedCheckpoint.WriteIndex(_directory, "model", stamp, worldSize);
    }
}
