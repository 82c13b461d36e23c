using System.Buffers.Binary;
using System.Text;
using Elixir.Safetensors;

namespace Elixir.Runtime.Tests.Safetensors;

public sealed class SafetensorsRoundTripTests
{
    [Fact]
    public void WrittenFile_HasTheSpecLayout_AndReadsBack()
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.safetensors");
        byte[] a = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];
        byte[] b = [0xAA, 0xBB, 0xCC, 0xDD];
        SafetensorsWriter.Write(path,
            [new SafetensorsTensor("w", "F32", [2, 3], a), new SafetensorsTensor("b", "BF16", [2], b)],
            new Dictionary<string, string> { ["format"] = "pt" });

        byte[] file = File.ReadAllBytes(path);
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(0, n % 8);
        Assert.Equal(8 + n + a.Length + b.Length, file.Length);
        string json = Encoding.UTF8.GetString(file, 8, (int)n).TrimEnd(' ');
        Assert.Equal(
            "{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[24,28]}}",
            json);
        Assert.Equal(a, file[(int)(8 + n)..(int)(8 + n + 24)]);
        Assert.Equal(b, file[(int)(8 + n + 24)..]);

        using var st = SafetensorsFile.Open(path);
        Assert.Equal("pt", st.Header.Metadata["format"]);
        Assert.Equal(["w", "b"], st.Header.Tensors.Select(t => t.Name));
        var w = st.Header["w"];
        Assert.Equal("F32", w.DType);
        Assert.Equal([2L, 3L], w.Shape);
        Assert.Equal((0L, 24L), (w.DataStart, w.DataEnd));
        var bytes = new byte[4];
        st.ReadTensor("b", bytes);
        Assert.Equal(b, bytes);
        var wBytes = new byte[24];
        st.ReadTensor(w, wBytes);
        Assert.Equal(a, wBytes);
    }

    [Fact]
    public void Write_ReplacesAnExistingFile_AndLeavesNoTemporaryFiles()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ckpt.safetensors");
        SafetensorsWriter.Write(path, [new SafetensorsTensor("x", "U8", [1], new byte[] { 1 })]);
        SafetensorsWriter.Write(path, [new SafetensorsTensor("y", "U8", [2], new byte[] { 2, 3 })]);

        Assert.Equal(["ckpt.safetensors"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        var header = SafetensorsHeader.Read(path);
        Assert.Equal("y", Assert.Single(header.Tensors).Name);
        Assert.Empty(header.Metadata);
    }

    [Fact]
    public void Write_RejectsBadTensors_AndKeepsTheOldFile()
    {
        using var dir = new TempDirectory();
        string path = dir.File("keep.safetensors");
        SafetensorsWriter.Write(path, [new SafetensorsTensor("x", "U8", [1], new byte[] { 7 })]);
        byte[] before = File.ReadAllBytes(path);

        var shape = Assert.Throws<ArgumentException>(() =>
            SafetensorsWriter.Write(path, [new SafetensorsTensor("x", "F32", [3], new byte[8])]));
        Assert.Contains("needs 12 bytes but has 8", shape.Message);
        var dtype = Assert.Throws<ArgumentException>(() =>
            SafetensorsWriter.Write(path, [new SafetensorsTensor("x", "F33", [1], new byte[4])]));
        Assert.Contains("unknown dtype 'F33'", dtype.Message);
        var twice = Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path,
            [new SafetensorsTensor("x", "U8", [1], new byte[1]), new SafetensorsTensor("x", "U8", [1], new byte[1])]));
        Assert.Contains("'x'", twice.Message);

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void ReadTensor_RejectsADestinationOfTheWrongLength()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t.safetensors");
        SafetensorsWriter.Write(path, [new SafetensorsTensor("x", "F16", [2], new byte[4])]);
        using var st = SafetensorsFile.Open(path);
        var e = Assert.Throws<ArgumentException>(() => st.ReadTensor("x", new byte[3]));
        Assert.Contains("has 4 bytes but the destination holds 3", e.Message);
        Assert.Throws<KeyNotFoundException>(() => st.ReadTensor("nope", new byte[4]));
    }
}
