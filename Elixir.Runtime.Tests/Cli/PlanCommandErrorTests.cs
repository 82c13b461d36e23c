using System.Buffers.Binary;
using System.Text.Json;
using Elixir.Runtime.Tests.Safetensors;
using Elixir.Safetensors;

namespace Elixir.Runtime.Tests.Cli;

public sealed class PlanCommandErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static void AssertFails(int expectedCode, string expectedMessage, params string[] args) =>
        CliRunner.AssertFails(expectedCode, expectedMessage, args);

    [Fact]
    public void NoModelSource_IsAUsageError() =>
        AssertFails(2, "plan needs exactly one of --preset, --safetensors or --params (0 given)", "plan");

    [Fact]
    public void TwoModelSources_IsAUsageError() =>
        AssertFails(2, "(2 given)", "plan", "--preset", "gpt2", "--params", "x.json");

    [Fact]
    public void UnknownPreset_IsAUsageError() => AssertFails(2, "'gpt3' not recognized", "plan", "--preset", "gpt3");

    [Fact]
    public void UnknownOption_IsAUsageError() => AssertFails(2, "--frobnicate", "plan", "--preset", "gpt2", "--frobnicate");

    [Fact]
    public void NoCommand_IsAUsageError() => AssertFails(2, "elixir: ", []);

    [Theory]
    [InlineData("x", "Cannot parse argument 'x' for option '--world-size'")]
    [InlineData("0", "--world-size must be positive, got 0")]
    [InlineData("-3", "--world-size must be positive, got -3")]
    public void BadWorldSize_IsAUsageError(string value, string message) =>
        AssertFails(2, message, "plan", "--preset", "gpt2", "--world-size", value);

    [Fact]
    public void BadDtype_IsAUsageError() => AssertFails(2, "'fp8' not recognized", "plan", "--preset", "gpt2", "--dtype", "fp8");

    [Fact]
    public void BadMemorySize_IsAUsageError() =>
        AssertFails(2, "--gpu-memory: '12 parsecs' is not a memory size", "plan", "--preset", "gpt2", "--gpu-memory", "12 parsecs");

    [Fact]
    public void OptimalWithoutBudget_IsAUsageError() =>
        AssertFails(2, "The optimal search needs a device memory budget", "plan", "--preset", "gpt2", "--search", "optimal");

    [Fact]
    public void MissingParamsFile_IsAnInputError()
    {
        string path = _dir.File("missing.json");
        AssertFails(3, path, "plan", "--params", path);
    }

    [Fact]
    public void MalformedParamsFile_IsAnInputError()
    {
        string path = _dir.File("bad.json");
        File.WriteAllText(path, """[{"name": "a", "shape": [2, "x"]}]""");
        AssertFails(3, $"{path}: parameter 0 shape holds a value that is not a positive integer", "plan", "--params", path);
    }

    [Fact]
    public void TruncatedSafetensors_IsAnInputError()
    {
        string path = _dir.File("huge.safetensors");
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1UL << 40);
        File.WriteAllBytes(path, bytes);
        AssertFails(3, $"{path}: declared header length 1099511627776 exceeds the 104857600-byte limit", "plan", "--safetensors", path);
    }

    [Fact]
    public void MinimumWasteBudgetNotMet_SaysHowMuchItNeeds() =>
        AssertFails(4, "needs at least", "plan", "--preset", "gpt2", "--gpu-memory", "1GiB");

    [Fact]
    public void OptimalBudgetNotMet_SaysHowMuchItNeeds() =>
        AssertFails(4, "per rank is too small: the fused chunks of the 1 multi-use parameters needs at least 154389504 bytes",
            "plan", "--preset", "gpt2", "--search", "optimal", "--gpu-memory", "100MiB");

    [Fact]
    public void SafetensorsAndParamsFiles_Plan()
    {
        string st = _dir.File("m.safetensors");
        SafetensorsWriter.Write(st, [new SafetensorsTensor("l.weight", "F32", [4, 4], new byte[64]), new SafetensorsTensor("l.bias", "F32", [4], new byte[16])]);
        var (code, output, _) = CliRunner.Run("plan", "--safetensors", st, "--json");
        Assert.Equal(0, code);
        using (var doc = JsonDocument.Parse(output))
        {
            Assert.Equal(20, doc.RootElement.GetProperty("chunkSize").GetInt64());
        }

        string json = _dir.File("p.json");
        File.WriteAllText(json, """[{"name": "e.w", "shape": [6], "modules": ["e", "head"]}, {"name": "l.w", "shape": [3]}]""");
        (code, output, _) = CliRunner.Run("plan", "--params", json, "--json", "--world-size", "4");
        Assert.Equal(0, code);
        using var plan = JsonDocument.Parse(output);
        Assert.Equal(4, plan.RootElement.GetProperty("chunkSize").GetInt64());
        Assert.Equal(8, plan.RootElement.GetProperty("privateChunks")[0].GetProperty("size").GetInt64());
    }
}
