using System.Buffers.Binary;
using System.Text;
using Elixir.Safetensors;

namespace Elixir.Runtime.Tests.Safetensors;

public sealed class SafetensorsHeaderErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WriteRaw(ulong declaredLength, string json, int dataBytes)
    {
        string path = _dir.File(Guid.NewGuid().ToString("N") + ".safetensors");
        byte[] header = Encoding.UTF8.GetBytes(json);
        var file = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(file, declaredLength);
        header.CopyTo(file, 8);
        File.WriteAllBytes(path, file);
        return path;
    }

    private string WriteHeader(string json, int dataBytes) => WriteRaw((ulong)Encoding.UTF8.GetByteCount(json), json, dataBytes);

    private static void AssertFails(string path, string expected)
    {
        var e = Assert.Throws<SafetensorsFormatException>(() => SafetensorsHeader.Read(path));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith(path, e.Message);
        Assert.Equal(path, e.FilePath);
    }

    [Fact]
    public void FileShorterThanThePrefix_Fails()
    {
        string path = _dir.File("short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        AssertFails(path, "file is 3 bytes");
    }

    [Fact]
    public void HugeDeclaredLength_FailsWithoutAllocating()
    {
        string path = WriteRaw(ulong.MaxValue / 2, "{}", 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        AssertFails(path, $"declared header length {ulong.MaxValue / 2} exceeds the 104857600-byte limit");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000);
    }

    [Fact]
    public void DeclaredLengthBeyondTheFile_Fails() =>
        AssertFails(WriteRaw(1000, "{}", 0), "declared header length 1000 exceeds the 2 bytes after the prefix (file is 10 bytes)");

    [Fact]
    public void MalformedJson_Fails() =>
        AssertFails(WriteHeader("{\"a\":{\"dtype\":\"F32\",", 0), "not valid JSON");

    [Fact]
    public void HeaderThatIsNotAnObject_Fails() => AssertFails(WriteHeader("[1,2]", 0), "should be StartObject but is StartArray");

    [Fact]
    public void UnknownDtype_Fails() =>
        AssertFails(WriteHeader("{\"a\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1), "unknown dtype 'Q7'");

    [Fact]
    public void OffsetsBeyondTheData_Fail() =>
        AssertFails(WriteHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8),
            "data offsets [0, 16] are outside the 8-byte data section");

    [Fact]
    public void OffsetsThatDisagreeWithTheShape_Fail() =>
        AssertFails(WriteHeader("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
            "needs 12 bytes but its data offsets [0, 8] span 8");

    [Fact]
    public void OverlappingTensors_Fail() =>
        AssertFails(WriteHeader(
            "{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[2,6]}}", 6),
            "tensors 'a' [0, 4] and 'b' [2, 6] overlap");

    [Fact]
    public void NegativeDimension_Fails() =>
        AssertFails(WriteHeader("{\"a\":{\"dtype\":\"U8\",\"shape\":[-1],\"data_offsets\":[0,0]}}", 0), "not a non-negative integer");

    [Fact]
    public void MissingField_Fails() =>
        AssertFails(WriteHeader("{\"a\":{\"dtype\":\"U8\",\"shape\":[1]}}", 1), "tensor 'a' lacks data_offsets");

    [Fact]
    public void RepeatedName_Fails() =>
        AssertFails(WriteHeader(
            "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", 2),
            "lists 'a' twice");

    [Fact]
    public void TrailingSpacePadding_IsAccepted()
    {
        var header = SafetensorsHeader.Read(WriteHeader("{\"a\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[0,1]}}     ", 1));
        var a = Assert.Single(header.Tensors);
        Assert.Empty(a.Shape);
        Assert.Equal(1, a.ElementCount);
    }

    [Fact]
    public void TruncatedData_IsCaughtByTheOffsetsCheck() =>
        AssertFails(WriteHeader("{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}", 15),
            "outside the 15-byte data section");
}
