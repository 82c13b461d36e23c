using CsCheck;
using Elixir.Checkpoints;
using Elixir.Safetensors;

namespace Elixir.Runtime.Tests.Checkpoints;

/// <summary>
/// Properties of the checkpoint index reader: any bytes give an index or a <see cref="SafetensorsFormatException"/>
/// naming the index, never another exception; and a written index reads back with its stamp and weight map.
/// </summary>
public sealed class CheckpointIndexPropertyTests
{
    private const string Path = "model.safetensors.index.json";

    private static readonly Gen<byte[]> s_indexLike = Gen.OneOf<string>(
            "{", "}", "[", "]", ",", ":", "\"metadata\"", "\"weight_map\"", "\"elixir.checkpoint_id\"", "\"elixir.step\"",
            "\"0123456789ab\"", "\"7\"", "\"-1\"", "\"99999999999999999999\"", "\"a\"", "\"f.safetensors\"", "\"../f\"", "\"\"",
            "null", "1", "true", "\"\\u0000\"", "\"\\ud800\"", "\xff", "\xc3", " ")
        .Array[0, 40]
        .Select(parts => parts.SelectMany(p => p.Select(c => (byte)c)).ToArray());

    [Fact]
    public void AnyBytes_GiveAnIndexOrAFormatErrorNamingTheIndex()
    {
        Gen.OneOf<byte[]>(Gen.Byte.Array[0, 200], s_indexLike).Sample(json =>
        {
            try
            {
                CheckpointIndex.Parse(Path, json);
            }
            catch (SafetensorsFormatException e)
            {
                Assert.Equal(Path, e.FilePath);
            }
        }, iter: 5000);
    }

    [Fact]
    public void WrittenIndexes_ReadBackUnchanged()
    {
        var files = Gen.Int[1, 4].Select(n => $"m-{n:D5}-of-00004.safetensors").Array[1, 3];
        var map = Gen.Select(Gen.String[1, 8], files).Array[0, 8];
        Gen.Select(map, Gen.Long[0, long.MaxValue]).Sample((entries, step) =>
        {
            var weightMap = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var (name, holders) in entries)
            {
                weightMap.TryAdd(name, [.. holders]);
            }

            var stamp = CheckpointStamp.New(step);
            string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"elixir-index-{Guid.NewGuid():N}.json");
            try
            {
                CheckpointIndex.Write(path, stamp, 4, 0, weightMap);
                var index = CheckpointIndex.Read(path);

                Assert.Equal(stamp, index.Stamp);
                Assert.Equal(weightMap.Keys, index.WeightMap.Keys.Order(StringComparer.Ordinal));
                Assert.All(weightMap, pair => Assert.Equal(pair.Value, index.WeightMap[pair.Key]));
            }
            finally
            {
                File.Delete(path);
            }
        }, iter: 300);
    }
}
