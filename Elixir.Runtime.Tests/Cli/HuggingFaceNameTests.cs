using Elixir.Numerics;
using Elixir.Runtime.Tests.Safetensors;
using Elixir.Safetensors;

namespace Elixir.Runtime.Tests.Cli;

public sealed class HuggingFaceNameTests : IDisposable
{
    // transformers' GPT2LMHeadModel state dict for one layer, less the tied lm_head and the attention mask buffers.
    private static readonly string[] HuggingFaceGpt2OneLayer =
    [
        "transformer.wte.weight", "transformer.wpe.weight",
        "transformer.h.0.ln_1.weight", "transformer.h.0.ln_1.bias",
        "transformer.h.0.attn.c_attn.weight", "transformer.h.0.attn.c_attn.bias",
        "transformer.h.0.attn.c_proj.weight", "transformer.h.0.attn.c_proj.bias",
        "transformer.h.0.ln_2.weight", "transformer.h.0.ln_2.bias",
        "transformer.h.0.mlp.c_fc.weight", "transformer.h.0.mlp.c_fc.bias",
        "transformer.h.0.mlp.c_proj.weight", "transformer.h.0.mlp.c_proj.bias",
        "transformer.ln_f.weight", "transformer.ln_f.bias",
    ];

    private static readonly string[] Tiny = ["--channels", "32", "--heads", "2", "--layers", "1"];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AConsolidatedCheckpointOfTheSample_NamesItsTensorsAsHuggingFaceDoes()
    {
        Train(["--steps", "0", "--checkpoint-dir", _dir.Path, "--consolidated"]);

        using var checkpoint = SafetensorsFile.Open(_dir.File("gpt2-char.safetensors"));
        string[] expected =
        [
            .. HuggingFaceGpt2OneLayer,
            .. HuggingFaceGpt2OneLayer.Select(n => "optimizer.exp_avg." + n),
            .. HuggingFaceGpt2OneLayer.Select(n => "optimizer.exp_avg_sq." + n),
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), checkpoint.Header.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Equal(new long[] { 96 }, checkpoint.Header.Tensors.Single(t => t.Name == "transformer.h.0.attn.c_attn.bias").Shape.ToArray());
        Assert.Equal(new long[] { 32, 96 }, checkpoint.Header.Tensors.Single(t => t.Name == "transformer.h.0.attn.c_attn.weight").Shape.ToArray());
    }

    [Fact]
    public void InitFrom_AConsolidatedSaveOfAnotherRun_StartsFromThatRunsParametersExactly()
    {
        string trained = _dir.File("trained");
        string started = _dir.File("started");
        Train(["--steps", "3", "--ranks", "2", "--checkpoint-dir", trained, "--consolidated"]);
        string source = Path.Combine(trained, "gpt2-char.safetensors");
        Train(["--steps", "0", "--seed", "7", "--init-from", source, "--checkpoint-dir", started, "--consolidated"]);

        var expected = Tensors(source);
        var actual = Tensors(Path.Combine(started, "gpt2-char.safetensors"));
        foreach (string name in HuggingFaceGpt2OneLayer)
        {
            Assert.True(expected[name].Data.Span.SequenceEqual(actual[name].Data.Span), $"{name} differs from the run it was initialised from");
        }
    }

    [Fact]
    public void InitFrom_Bf16Values_AreReadAsFp32_AndTheAttentionMasksAreSkipped()
    {
        string trained = _dir.File("trained");
        Train(["--steps", "2", "--checkpoint-dir", trained, "--consolidated"]);
        var tensors = Tensors(Path.Combine(trained, "gpt2-char.safetensors"));
        var bf16 = HuggingFaceGpt2OneLayer.Select(n => tensors[n]).Select(t => t with
        {
            DType = "BF16",
            Data = System.Runtime.InteropServices.MemoryMarshal.AsBytes(
                System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(t.Data.Span).ToArray().Select(v => ((BFloat16)v).RawBits).ToArray().AsSpan()).ToArray(),
        }).ToList();
        bf16.Add(new SafetensorsTensor("transformer.h.0.attn.bias", "F32", [1L, 1L, 4L, 4L], new byte[64]));
        string file = _dir.File("bf16.safetensors");
        SafetensorsWriter.Write(file, bf16);

        string started = _dir.File("started");
        Train(["--steps", "0", "--init-from", file, "--checkpoint-dir", started, "--consolidated"]);
        var actual = Tensors(Path.Combine(started, "gpt2-char.safetensors"));
        foreach (var tensor in bf16.Take(HuggingFaceGpt2OneLayer.Length))
        {
            // A bf16 value is the top half of its fp32 bits.
            var expected = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(tensor.Data.Span).ToArray()
                .Select(b => BitConverter.UInt32BitsToSingle((uint)b << 16));
            Assert.Equal(expected, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(actual[tensor.Name].Data.Span).ToArray());
        }
    }

    [Theory]
    [InlineData("shape", "tensor 'transformer.h.0.mlp.c_fc.bias': has shape [64] but the model expects [128]")]
    [InlineData("missing", "tensor 'transformer.ln_f.bias': missing")]
    [InlineData("int", "tensor 'transformer.wpe.weight': is stored as I32 but a parameter must be F32, F16 or BF16")]
    [InlineData("extra", "tensor 'lm_head.extra': is no parameter of the model; 1 unknown tensor(s): lm_head.extra")]
    public void InitFrom_AMismatchedFile_FailsNamingTheTensor_WithExitCode3(string fault, string message)
    {
        string trained = _dir.File("trained");
        Train(["--steps", "0", "--checkpoint-dir", trained, "--consolidated"]);
        var tensors = Tensors(Path.Combine(trained, "gpt2-char.safetensors")).Values.ToList();
        int at = tensors.FindIndex(t => t.Name == fault switch
        {
            "shape" => "transformer.h.0.mlp.c_fc.bias",
            "missing" => "transformer.ln_f.bias",
            _ => "transformer.wpe.weight",
        });
        switch (fault)
        {
            case "shape":
                tensors[at] = tensors[at] with { Shape = [64L], Data = tensors[at].Data[..256] };
                break;
            case "missing":
                tensors.RemoveAt(at);
                break;
            case "int":
                tensors[at] = tensors[at] with { DType = "I32" };
                break;
            default:
                tensors.Add(new SafetensorsTensor("lm_head.extra", "F32", [1L], new byte[4]));
                break;
        }

        string file = _dir.File("bad.safetensors");
        SafetensorsWriter.Write(file, tensors);
        var (code, output, error) = CliRunner.Run(["train", "--steps", "1", "--init-from", file, .. Tiny]);
        Assert.Equal(3, code);
        Assert.Contains(message, error);
        Assert.DoesNotContain("\n", error.TrimEnd());
        Assert.DoesNotContain("step 1", output);
    }

    [Fact]
    public void InitFrom_WithResume_IsAUsageError()
    {
        var (code, _, error) = CliRunner.Run(["train", "--init-from", "x.safetensors", "--resume", "--checkpoint-dir", _dir.Path, .. Tiny]);
        Assert.Equal(2, code);
        Assert.Contains("--init-from and --resume", error);
    }

    private static void Train(string[] args)
    {
        var (code, _, error) = CliRunner.Run(["train", .. args, .. Tiny]);
        Assert.True(code == 0, $"exit code {code}: {error}");
    }

    private static Dictionary<string, SafetensorsTensor> Tensors(string path)
    {
        using var file = SafetensorsFile.Open(path);
        var result = new Dictionary<string, SafetensorsTensor>(StringComparer.Ordinal);
        foreach (var info in file.Header.Tensors)
        {
            var data = new byte[info.ByteLength];
            file.ReadTensor(info, data);
            result[info.Name] = new SafetensorsTensor(info.Name, info.DType, info.Shape, data);
        }

        return result;
    }
}
