using System.Text;
using Elixir.Checkpoints;
using Elixir.Safetensors;

namespace Elixir.Runtime.Tests.Checkpoints;

/// <summary>Every malformed index is a <see cref="SafetensorsFormatException"/> naming the index and the field, and nothing is read whole past a limit.</summary>
public sealed class CheckpointIndexErrorTests : IDisposable
{
    private const string Metadata = """{"elixir.checkpoint_id": "0123456789ab", "elixir.step": "7"}""";
    private readonly string _directory = CheckpointTestData.NewDirectory();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string IndexPath => Path.Combine(_directory, "model.safetensors.index.json");

    [Theory]
    [InlineData("""{"metadata": META, "weight_map": {"a": null}}""", "weight_map.a should be Array but is Null")]
    [InlineData("""{"metadata": META, "weight_map": {"a": [null]}}""", "weight_map.a[0] should be String but is Null")]
    [InlineData("""{"metadata": META, "weight_map": {"a": []}}""", "weight_map.a lists no file")]
    [InlineData("""{"metadata": META, "weight_map": {"a": ["../b.safetensors"]}}""", "weight_map.a[0] names '../b.safetensors', not a file in the checkpoint directory")]
    [InlineData("""{"metadata": META, "weight_map": {"a": ["b"], "a": ["c"]}}""", "weight_map.a appears twice")]
    [InlineData("""{"metadata": META, "weight_map": {"a": ["b\u0000c"]}}""", "not a file in the checkpoint directory")]
    [InlineData("""{"metadata": META, "weight_map": []}""", "weight_map should be Object but is Array")]
    [InlineData("""{"metadata": META}""", "index has no 'weight_map'")]
    [InlineData("""{"weight_map": {}}""", "index has no 'metadata'")]
    [InlineData("""{"metadata": {"elixir.step": "7"}, "weight_map": {}}""", "index has no 'elixir.checkpoint_id'")]
    [InlineData("""{"metadata": {"elixir.checkpoint_id": null, "elixir.step": "7"}, "weight_map": {}}""", "metadata.elixir.checkpoint_id should be String but is Null")]
    [InlineData("""{"metadata": {"elixir.checkpoint_id": "0123456789ab", "elixir.step": "99999999999999999999"}, "weight_map": {}}""", "is not a save id (12 hex digits) and a step count")]
    [InlineData("""{"metadata": {"elixir.checkpoint_id": "0123456789ab", "elixir.step": "-1"}, "weight_map": {}}""", "is not a save id")]
    [InlineData("""[1, 2]""", "the index should be Object but is Array")]
    [InlineData("""{"metadata": """, "index is not valid JSON")]
    public void MalformedIndex_NamesTheFileAndTheField(string json, string expected)
    {
        File.WriteAllText(IndexPath, json.Replace("META", Metadata, StringComparison.Ordinal));

        var error = Assert.Throws<SafetensorsFormatException>(() => ShardedCheckpoint.Load(_directory, "model", []));

        Assert.Equal(IndexPath, error.FilePath);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void InvalidUtf8_IsAFormatErrorNamingTheIndex()
    {
        byte[] json = Encoding.UTF8.GetBytes("""{"metadata": META, "weight_map": {"a": ["b@"]}}""".Replace("META", Metadata, StringComparison.Ordinal));
        json[Array.IndexOf(json, (byte)'@')] = 0xFF;
        File.WriteAllBytes(IndexPath, json);

        var error = Assert.Throws<SafetensorsFormatException>(() => ShardedCheckpoint.Load(_directory, "model", []));

        Assert.Equal(IndexPath, error.FilePath);
    }

    [Fact]
    public void AnIndexOverTheLimit_IsRefusedUnread()
    {
        using (var stream = File.Create(IndexPath))
        {
            stream.SetLength(CheckpointIndex.MaxBytes + 1);
        }

        var error = Assert.Throws<SafetensorsFormatException>(() => ShardedCheckpoint.Load(_directory, "model", []));

        Assert.Contains($"index is {CheckpointIndex.MaxBytes + 1} bytes, over the {CheckpointIndex.MaxBytes}-byte limit", error.Message);
    }
}
