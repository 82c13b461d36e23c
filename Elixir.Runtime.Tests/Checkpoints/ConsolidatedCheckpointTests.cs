using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Elixir.Checkpoints;
using Elixir.Safetensors;
using static Elixir.Runtime.Tests.Checkpoints.CheckpointTestData;

namespace Elixir.Runtime.Tests.Checkpoints;

public sealed class ConsolidatedCheckpointTests : IDisposable
{
    private readonly string _directory = NewDirectory();

    private string FilePath => Path.Combine(_directory, "model.safetensors");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void PiecesFromEveryRank_AreWrittenAsWholeTensorsAndRoundTrip(int worldSize)
    {
        IEnumerable<ShardData> pieces = Enumerable.Range(0, worldSize).Reverse().SelectMany(r => RankSlices(r, worldSize));
        ConsolidatedCheckpoint.Save(FilePath, pieces, new Dictionary<string, string> { ["step"] = "7" });

        SafetensorsHeader header = SafetensorsHeader.Read(FilePath);
        Assert.Equal([7L, 5L], header["Embedding"].Shape);
        Assert.Equal("F32", header["Embedding"].DType);
        Assert.Empty(header["Scalar"].Shape);
        (List<ShardTarget> targets, List<byte[]> buffers) = RankTargets(0, 1);
        IReadOnlyDictionary<string, string> metadata = ConsolidatedCheckpoint.Load(FilePath, targets);
        Assert.Equal("7", metadata["step"]);
        for (int t = 0; t < Tensors.Length; t++)
        {
            Assert.Equal(Values(Tensors[t].Name, Count(Tensors[t].Shape)), MemoryMarshal.Cast<byte, float>(buffers[t]).ToArray());
        }
    }

    [Fact]
    public void FileBytes_AreThePlainSafetensorsLayout()
    {
        ConsolidatedCheckpoint.Save(FilePath, [new ShardData(Shard("w", [2], 0, 2), MemoryMarshal.AsBytes<float>([1.5f, -2f]).ToArray())]);

        byte[] bytes = File.ReadAllBytes(FilePath);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        string json = Encoding.UTF8.GetString(bytes, 8, (int)headerLength).TrimEnd(' ');
        Assert.Equal("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", json);
        Assert.Equal([1.5f, -2f], MemoryMarshal.Cast<byte, float>(bytes.AsSpan(8 + (int)headerLength)).ToArray());
    }

    [Fact]
    public void LoadingASliceOnly_ReadsThatRange()
    {
        ConsolidatedCheckpoint.Save(FilePath, RankSlices(0, 1));
        var buffer = new byte[3 * 4];

        ConsolidatedCheckpoint.Load(FilePath, [new ShardTarget(Shard("Embedding", [7, 5], 30, 33), buffer)]);

        Assert.Equal(Values("Embedding", 35)[30..33], MemoryMarshal.Cast<byte, float>(buffer).ToArray());
    }

    [Fact]
    public void PiecesWithAGap_AreRejectedAtSave()
    {
        List<ShardData> pieces = [.. RankSlices(0, 2)];

        var error = Assert.Throws<ArgumentException>(() => ConsolidatedCheckpoint.Save(FilePath, pieces));

        Assert.Contains("Embedding", error.Message);
        Assert.Contains("[0, 18)", error.Message);
        Assert.False(File.Exists(FilePath));
    }

    [Fact]
    public void MissingTensor_ThrowsNamingFileAndTensorAndWritesNothing()
    {
        ConsolidatedCheckpoint.Save(FilePath, RankSlices(0, 1).Where(s => s.Shard.Name != "Scalar"));
        (List<ShardTarget> targets, List<byte[]> buffers) = RankTargets(0, 1);

        var error = Assert.Throws<CheckpointFormatException>(() => ConsolidatedCheckpoint.Load(FilePath, targets));

        Assert.Equal("Scalar", error.TensorName);
        Assert.Equal(FilePath, error.FilePath);
        Assert.All(buffers, b => Assert.All(b, x => Assert.Equal(0, x)));
    }

    [Fact]
    public void WrongDType_ThrowsNamingTheTensor()
    {
        ConsolidatedCheckpoint.Save(FilePath, RankSlices(0, 1));
        var target = new ShardTarget(Shard("Blocks.0.Ln1Weight", [3], 0, 3) with { DType = Elixir.Numerics.DType.BFloat16 }, new byte[6]);

        var error = Assert.Throws<CheckpointFormatException>(() => ConsolidatedCheckpoint.Load(FilePath, [target]));

        Assert.Equal("Blocks.0.Ln1Weight", error.TensorName);
        Assert.Contains("F32", error.Message);
    }

    [Fact]
    public void BadHeaderOrTruncatedData_ThrowNamingTheFileAndWriteNothing()
    {
        ConsolidatedCheckpoint.Save(FilePath, RankSlices(0, 1));
        byte[] good = File.ReadAllBytes(FilePath);
        (List<ShardTarget> targets, List<byte[]> buffers) = RankTargets(0, 1);

        File.WriteAllBytes(FilePath, good[..^1]);
        Assert.Equal(FilePath, Assert.Throws<SafetensorsFormatException>(() => ConsolidatedCheckpoint.Load(FilePath, targets)).FilePath);
        byte[] badHeader = (byte[])good.Clone();
        badHeader[8] = (byte)'[';
        File.WriteAllBytes(FilePath, badHeader);
        Assert.Equal(FilePath, Assert.Throws<SafetensorsFormatException>(() => ConsolidatedCheckpoint.Load(FilePath, targets)).FilePath);
        Assert.All(buffers, b => Assert.All(b, x => Assert.Equal(0, x)));
    }

    [Fact]
    public void DestinationOfTheWrongSize_IsRejected()
    {
        ConsolidatedCheckpoint.Save(FilePath, RankSlices(0, 1));

        Assert.Throws<ArgumentException>(() =>
            ConsolidatedCheckpoint.Load(FilePath, [new ShardTarget(Shard("Blocks.0.Ln1Weight", [3], 0, 3), new byte[8])]));
    }
}
