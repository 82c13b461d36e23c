using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Elixir.Samples.Models.Cuda;

namespace Elixir.Runtime.Tests.Samples;

/// <summary>
/// The GPU model's committed PTX: built from the committed sources (hash stamp), at an ISA every driver from
/// CUDA 11.8 on can JIT (≤ 7.8) for compute_80, with every kernel the model launches, and assembling offline for
/// sm_80 (A100) and sm_90 (H100) where ptxas is installed. All of it runs without a GPU.
/// </summary>
public sealed partial class Gpt2CudaPtxTests
{
    public static TheoryData<string> Modules => [.. Gpt2CudaSources.Names];

    public static TheoryData<string, string> Entries => new()
    {
        { "embedding", "gpt2_embedding_forward gpt2_embedding_backward_position gpt2_embedding_backward_token" },
        { "layernorm", "gpt2_layernorm_forward gpt2_layernorm_backward_input gpt2_layernorm_backward_params" },
        { "pointwise", "gpt2_gelu_forward gpt2_gelu_backward gpt2_residual_forward gpt2_bias_broadcast gpt2_bias_backward" },
        { "attention", "gpt2_attention_permute gpt2_attention_permute_backward gpt2_attention_unpermute gpt2_attention_unpermute_backward gpt2_attention_softmax_forward gpt2_attention_softmax_backward" },
        { "crossentropy", "gpt2_crossentropy_forward gpt2_crossentropy_backward" },
    };

    [Theory]
    [MemberData(nameof(Modules))]
    public void Each_ptx_was_built_from_the_committed_source(string module)
    {
        string expected = Gpt2CudaSources.SourceHash(module);

        Assert.True(Gpt2CudaSources.RecordedHash(module) == expected,
            $"gpt2-cuda/{module}.ptx records '{Gpt2CudaSources.RecordedHash(module)}' but {module}.cu + common.cuh hash to {expected}; run Elixir.Samples/Models/Cuda/build-ptx.sh with CUDA 11.8's nvcc.");
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void Each_ptx_targets_compute_80_at_isa_7_8_or_older(string module)
    {
        string ptx = Ptx(module);
        Match version = Regex.Match(ptx, @"^\.version (\d+)\.(\d+)", RegexOptions.Multiline);

        Assert.True(version.Success, $"{module}.ptx has no .version line.");
        var isa = new Version(int.Parse(version.Groups[1].Value), int.Parse(version.Groups[2].Value));
        Assert.True(isa <= new Version(7, 8), $"{module}.ptx is PTX ISA {isa}; drivers older than its CUDA release cannot load it (build with CUDA 11.8's nvcc).");
        Assert.Contains(".target sm_80", ptx);
        Assert.Contains(".address_size 64", ptx);
    }

    [Theory]
    [MemberData(nameof(Entries))]
    public void Each_kernel_the_model_launches_is_an_entry_of_its_module(string module, string entries)
    {
        string ptx = Ptx(module);
        string[] declared = [.. EntryPattern().Matches(ptx).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal)];

        Assert.Equal(entries.Split(' ').Order(StringComparer.Ordinal), declared);
    }

    [Theory]
    [InlineData("sm_80")]
    [InlineData("sm_90")]
    public void Every_ptx_assembles_with_ptxas(string architecture)
    {
        string? ptxas = Ptxas();
        Assert.SkipWhen(ptxas is null, "ptxas is not installed (PATH, CUDA_HOME/bin, /usr/local/cuda/bin); the PTX is still checked above.");
        foreach (string module in Gpt2CudaSources.Names)
        {
            string file = Path.Combine(Path.GetTempPath(), $"elixir-{Guid.NewGuid():N}-{module}.ptx");
            File.WriteAllBytes(file, Gpt2CudaSources.Read($"{module}.ptx"));
            try
            {
                var start = new ProcessStartInfo(ptxas!, ["-arch", architecture, "-o", "/dev/null", file]) { RedirectStandardError = true, RedirectStandardOutput = true };
                using var process = Process.Start(start)!;
                string errors = process.StandardError.ReadToEnd();
                process.WaitForExit();
                Assert.True(process.ExitCode == 0, $"ptxas -arch {architecture} {module}.ptx failed ({process.ExitCode}): {errors}");
            }
            finally
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public void The_files_on_disk_match_the_embedded_ones()
    {
        string? folder = null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null && folder is null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "Elixir.Samples", "Models", "Cuda");
            folder = Directory.Exists(candidate) ? candidate : null;
        }

        Assert.SkipWhen(folder is null, "The repository's sample kernels folder is not beside this test run (a published runner).");
        string[] files = [.. Directory.GetFiles(folder!).Where(f => f.EndsWith(".cu") || f.EndsWith(".cuh") || f.EndsWith(".ptx"))];
        Assert.Equal(2 * Gpt2CudaSources.Names.Count + 1, files.Length);
        foreach (string file in files)
        {
            Assert.Equal(File.ReadAllBytes(file), Gpt2CudaSources.Read(Path.GetFileName(file)));
        }
    }

    private static string Ptx(string module) => Encoding.UTF8.GetString(Gpt2CudaSources.Read($"{module}.ptx"));

    private static string? Ptxas()
    {
        IEnumerable<string> folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(new[] { Environment.GetEnvironmentVariable("CUDA_HOME") is { Length: > 0 } home ? Path.Combine(home, "bin") : null, "/usr/local/cuda/bin" }.OfType<string>());
        return folders.Select(folder => Path.Combine(folder, "ptxas")).FirstOrDefault(File.Exists);
    }

    [GeneratedRegex(@"\.visible \.entry (\w+)\(")]
    private static partial Regex EntryPattern();
}
