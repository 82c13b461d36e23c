using System.Runtime.InteropServices;
using Elixir.Checkpoints;
using Elixir.Safetensors;
using static Elixir.Runtime.Tests.Checkpoints.CheckpointTestData;

namespace Elixir.Runtime.Tests.Checkpoints;

/// <summary>
/// Sharded saves are atomic as a set: a save interrupted before its index is written leaves the previous
/// checkpoint, one interrupted after it loads as the new one, and files of different saves are never one checkpoint.
/// </summary>
public sealed class CheckpointSetTests : IDisposable
{
    private readonly string _directory = NewDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void ASaveInterruptedBeforeItsIndex_LeavesThePreviousCheckpoint_AndTheNextSaveCleansUp(int worldSize)
    {
        Save(worldSize, step: 1, shift: 0);
        var interrupted = CheckpointStamp.New(2);
        for (int rank = 0; rank < worldSize; rank++)
        {
            ShardedCheckpoint.SaveRank(_directory, "model", interrupted, rank, worldSize, Shifted(rank, worldSize, 100));
        }

        AssertLoads(worldSize, step: 1, shift: 0);
        Assert.Equal(worldSize, Hidden().Length);

        Save(worldSize, step: 3, shift: 200);

        AssertLoads(worldSize, step: 3, shift: 200);
        Assert.Empty(Hidden());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void ASaveInterruptedAfterItsIndex_LoadsAsTheNewCheckpoint_AndTidyFinishesIt(int worldSize)
    {
        Save(worldSize, step: 1, shift: 0);
        var committed = CheckpointStamp.New(2);
        for (int rank = 0; rank < worldSize; rank++)
        {
            ShardedCheckpoint.SaveRank(_directory, "model", committed, rank, worldSize, Shifted(rank, worldSize, 100));
        }

        // The commit without the renames that follow it: the state a kill right after the index rename leaves.
        var weightMap = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        for (int rank = 0; rank < worldSize; rank++)
        {
            foreach (ShardData slice in RankSlices(rank, worldSize).Where(s => s.Shard.ElementCount > 0))
            {
                weightMap.TryAdd(slice.Shard.Name, []);
                weightMap[slice.Shard.Name].Add(ShardedCheckpoint.RankFileName("model", rank, worldSize));
            }
        }

        CheckpointIndex.Write(Path.Combine(_directory, "model.safetensors.index.json"), committed, worldSize, 0, weightMap);

        AssertLoads(worldSize, step: 2, shift: 100);
        ShardedCheckpoint.Tidy(_directory, "model");
        Assert.Empty(Hidden());
        AssertLoads(worldSize, step: 2, shift: 100);
    }

    [Fact]
    public void FilesOfDifferentSaves_AreRefused_NamingTheFilesAndTheirSteps()
    {
        Save(2, step: 231, shift: 0);
        string older = Path.Combine(_directory, "older.safetensors");
        File.Copy(Path.Combine(_directory, "model-00002-of-00002.safetensors"), older);
        Save(2, step: 232, shift: 100);
        File.Copy(older, Path.Combine(_directory, "model-00002-of-00002.safetensors"), overwrite: true);

        var error = Assert.Throws<CheckpointFormatException>(() => ShardedCheckpoint.Load(_directory, "model", RankTargets(0, 2).Targets));

        Assert.EndsWith("model.safetensors.index.json", error.FilePath);
        Assert.Contains("the files disagree with the index's step 232", error.Message);
        Assert.Contains("model-00002-of-00002.safetensors holds step 231 (save ", error.Message);
        Assert.DoesNotContain("model-00001-of-00002", error.Message);
    }

    [Fact]
    public void AStampThatIsNotASaveId_IsRejectedAtSave()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ShardedCheckpoint.SaveRank(_directory, "model", new CheckpointStamp("../../x", 1), 0, 1, RankSlices(0, 1)));

        Assert.Contains("'../../x'", error.Message);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void CheckpointDirectory_ThatCannotBeWritten_FailsNamingIt()
    {
        string file = Path.Combine(_directory, "a-file");
        File.WriteAllText(file, "x");
        string below = Path.Combine(file, "checkpoints");

        var error = Assert.Throws<IOException>(() => CheckpointDirectory.RequireWritable(below));

        Assert.StartsWith($"Checkpoint directory '{below}' is not writable: ", error.Message);
        CheckpointDirectory.RequireWritable(Path.Combine(_directory, "new", "nested"));
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory, "new", "nested")));
    }

    private void Save(int worldSize, long step, float shift)
    {
        var stamp = CheckpointStamp.New(step);
        for (int rank = 0; rank < worldSize; rank++)
        {
            ShardedCheckpoint.SaveRank(_directory, "model", stamp, rank, worldSize, Shifted(rank, worldSize, shift));
        }

        ShardedCheckpoint.WriteIndex(_directory, "model", stamp, worldSize);
    }

    private static List<ShardData> Shifted(int rank, int worldSize, float shift) =>
        RankSlices(rank, worldSize).ConvertAll(slice =>
        {
            float[] values = MemoryMarshal.Cast<byte, float>(slice.Data.Span).ToArray();
            return new ShardData(slice.Shard, MemoryMarshal.AsBytes(values.Select(v => v + shift).ToArray().AsSpan()).ToArray());
        });

    private void AssertLoads(int worldSize, long step, float shift)
    {
        for (int rank = 0; rank < worldSize; rank++)
        {
            (List<ShardTarget> targets, List<byte[]> buffers) = RankTargets(rank, worldSize);
            var metadata = ShardedCheckpoint.Load(_directory, "model", targets);

            Assert.Equal(step.ToString(System.Globalization.CultureInfo.InvariantCulture), metadata[CheckpointStamp.StepKey]);
            for (int t = 0; t < Tensors.Length; t++)
            {
                (long start, long end) = Range(Count(Tensors[t].Shape), rank, worldSize);
                float[] expected = Values(Tensors[t].Name, Count(Tensors[t].Shape))[(int)start..(int)end].Select(v => v + shift).ToArray();
                Assert.Equal(expected, MemoryMarshal.Cast<byte, float>(buffers[t]).ToArray());
            }
        }
    }

    private string[] Hidden() => Directory.GetFiles(_directory, ".*");
}
