using System.Text;
using CsCheck;
using Elixir.Safetensors;

namespace Elixir.Runtime.Tests.Safetensors;

/// <summary>
/// Properties of the safetensors header parser: any bytes give a header or a <see cref="SafetensorsFormatException"/>
/// naming the file, never another exception; and what the writer writes, the parser reads back unchanged.
/// </summary>
public sealed class SafetensorsHeaderPropertyTests
{
    private const string Path = "property.safetensors";

    /// <summary>Pieces of headers, valid and broken: nesting, huge and negative numbers, nulls, invalid UTF-8, duplicate keys.</summary>
    private static readonly Gen<byte[]> s_headerLike = Gen.OneOf<string>(
            "{", "}", "[", "]", ",", ":", "\"a\"", "\"b\"", "\"__metadata__\"", "\"dtype\"", "\"shape\"", "\"data_offsets\"",
            "\"F32\"", "\"F16\"", "\"BF16\"", "\"I8\"", "\"X9\"", "0", "1", "4", "8", "-1", "1.5", "18446744073709551616",
            "9223372036854775807", "null", "true", "\"\\u0000\"", "\"\\ud800\"", "\xff", "\xc3", " ")
        .Array[0, 40]
        .Select(parts => parts.SelectMany(p => p.Select(c => (byte)c)).ToArray());

    [Fact]
    public void AnyBytes_GiveAHeaderOrAFormatErrorNamingTheFile()
    {
        Gen.OneOf<byte[]>(Gen.Byte.Array[0, 200], s_headerLike).Select(Gen.Long[0, 1L << 40]).Sample((json, dataLength) =>
        {
            try
            {
                SafetensorsHeaderParser.Parse(Path, json, dataLength);
            }
            catch (SafetensorsFormatException e)
            {
                Assert.Equal(Path, e.FilePath);
            }
        }, iter: 5000);
    }

    [Fact]
    public void WrittenHeaders_ReadBackUnchanged()
    {
        var names = Gen.String[Gen.Char['a', 'z'], 1, 6];
        var tensor = Gen.Select(names, Gen.OneOf<string>("F32", "F16", "BF16", "I8"), Gen.Long[0, 5].Array[0, 3]);
        var metadata = Gen.Select(names, Gen.String).Array[0, 4];
        Gen.Select(tensor.Array[0, 6], metadata).Sample((tensors, pairs) =>
        {
            var unique = tensors.DistinctBy(t => t.Item1).Where(t => t.Item1 != "__metadata__")
                .Select(t => new SafetensorsTensor(t.Item1, t.Item2, t.Item3, new byte[t.Item3.Aggregate(1L, (a, b) => a * b) * SafetensorsDTypes.SizeOf(t.Item2)]))
                .ToList();
            var meta = pairs.DistinctBy(p => p.Item1).ToDictionary(p => p.Item1, p => p.Item2);
            string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"elixir-property-{Guid.NewGuid():N}.safetensors");
            try
            {
                SafetensorsWriter.Write(path, unique, meta);
                var header = SafetensorsHeader.Read(path);

                Assert.Equal(unique.Select(t => (t.Name, t.DType, string.Join(",", t.Shape))), header.Tensors.Select(t => (t.Name, t.DType, string.Join(",", t.Shape))));
                Assert.Equal(meta.OrderBy(p => p.Key, StringComparer.Ordinal), header.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));
            }
            finally
            {
                File.Delete(path);
            }
        }, iter: 300);
    }

    [Fact]
    public void InvalidUtf8InAName_IsAFormatErrorNamingTheFile()
    {
        byte[] json = Encoding.UTF8.GetBytes("""{"a@": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}""");
        json[Array.IndexOf(json, (byte)'@')] = 0xFF;

        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsHeaderParser.Parse(Path, json, 4));

        Assert.Equal(Path, error.FilePath);
        Assert.Contains("not valid UTF-8", error.Message);
    }
}
