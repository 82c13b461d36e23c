using System.Collections.Immutable;
using System.Text;
using Elixir.Layout;
using Elixir.Numerics;
using Elixir.Planning;
using Elixir.Runtime.Tests.Safetensors;
using Elixir.Safetensors;

namespace Elixir.Runtime.Tests.Planning;

public sealed class ParameterSourcesTests
{
    private static IReadOnlyList<PlanParameter> Parse(string json) => ParameterSources.ParseJson(Encoding.UTF8.GetBytes(json), "params.json");

    [Fact]
    public void Json_ModulesDefaultToTheNameUpToItsLastDot()
    {
        var ps = Parse("""[{"name": "h.0.attn.w", "shape": [4, 3]}, {"name": "wte", "shape": [10, 2], "modules": ["emb", "head"]}]""");
        Assert.Equal(["h.0.attn"], ps[0].Modules);
        Assert.Equal(12, ps[0].ElementCount);
        Assert.False(ps[0].IsMultiUse);
        Assert.Equal(["emb", "head"], ps[1].Modules);
        Assert.True(ps[1].IsMultiUse);
    }

    [Theory]
    [InlineData("{}", "the parameter list should be StartArray but is StartObject")]
    [InlineData("[1]", "parameter 0 should be an object but is Number")]
    [InlineData("""[{"name": "a"}]""", "parameter 0 needs a \"name\" and a \"shape\"")]
    [InlineData("""[{"name": "a", "shape": [2, -1]}]""", "parameter 0 shape holds a value that is not a positive integer")]
    [InlineData("""[{"name": "a", "shape": [2], "modules": []}]""", "parameter 'a' has an empty \"modules\" list")]
    [InlineData("""[{"name": "a", "shape": [2]""", "not valid JSON")]
    [InlineData("""[{"name": "a", "shape": [2]}, x]""", "not valid JSON")]
    public void Json_Malformed_NamesTheFileAndTheProblem(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => Parse(json));
        Assert.StartsWith("params.json: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Safetensors_TakesFloatTensorsInDataOrder()
    {
        using var dir = new TempDirectory();
        string path = dir.File("m.safetensors");
        SafetensorsWriter.Write(path,
        [
            new SafetensorsTensor("b.weight", "F16", [2, 3], new byte[12]),
            new SafetensorsTensor("a.bias", "BF16", [3], new byte[6]),
            new SafetensorsTensor("a.mask", "U8", [4], new byte[4]),
        ]);
        var ps = ParameterSources.FromSafetensors(SafetensorsHeader.Read(path));
        Assert.Equal(["b.weight", "a.bias"], ps.Select(p => p.Name));
        Assert.Equal(["b"], ps[0].Modules);
        Assert.Equal([2L, 3L], ps[0].Shape);
    }

    [Fact]
    public void Layouts_NameTensorsByModule_AndFuseMultiUseOnes()
    {
        var table = new LayoutTable("Block",
        [
            new TensorSlot("Weight", DType.Float32, ImmutableArray.Create(4L, 2L), 8, 0, false),
            new TensorSlot("Embedding", DType.Float32, ImmutableArray.Create(3L), 3, 32, true),
        ], 44);
        var ps = ParameterSources.FromLayouts([("h.0", table), ("h.1", table)]);
        Assert.Equal(["h.0.Weight", "h.0.Embedding", "h.1.Weight", "h.1.Embedding"], ps.Select(p => p.Name));
        Assert.Equal(["h.1"], ps[2].Modules);
        Assert.Equal([false, true, false, true], ps.Select(p => p.IsMultiUse));
    }

    [Theory]
    [InlineData("24GiB", 24L << 30)]
    [InlineData("512MiB", 512L << 20)]
    [InlineData("1.5GB", 1_500_000_000L)]
    [InlineData("4096", 4096L)]
    [InlineData("2 kib", 2048L)]
    public void ByteSize_ParsesUnits(string text, long bytes) => Assert.Equal(bytes, ByteSize.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("GiB")]
    [InlineData("-1GiB")]
    [InlineData("12 parsecs")]
    [InlineData("0")]
    public void ByteSize_RejectsNonsense(string text) =>
        Assert.Contains("is not a memory size", Assert.Throws<FormatException>(() => ByteSize.Parse(text)).Message);
}
