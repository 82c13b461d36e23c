using System.Security.Cryptography;
using System.Text;
using Elixir.Cuda;
using Elixir.Kernels.Cuda;

namespace Elixir.Runtime.Tests.Cuda;

public sealed class KernelPtxTests
{
    public static TheoryData<string> Kernels => [.. KernelSources.Names];

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Each_committed_ptx_was_built_from_the_committed_source(string kernel)
    {
        byte[] sources = [.. KernelSources.Read($"{kernel}.cu"), .. KernelSources.Read("dtype.cuh")];
        string expected = Convert.ToHexStringLower(SHA256.HashData(sources));

        Assert.True(
            KernelSources.RecordedHash(kernel) == expected,
            $"kernels/{kernel}.ptx records source hash '{KernelSources.RecordedHash(kernel)}' but {kernel}.cu + dtype.cuh hash to {expected}; run Elixir.Runtime/Kernels/Cuda/Sources/build-ptx.sh on a machine with nvcc.");
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Each_ptx_defines_its_entry_point_for_a_target_hopper_can_jit(string kernel)
    {
        string ptx = Encoding.UTF8.GetString(KernelSources.Read($"{kernel}.ptx"));

        Assert.Contains($".visible .entry elixir_{kernel}(", ptx);
        Assert.Contains(".target sm_80", ptx);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Each_ptx_states_its_isa_version_for_the_driver_error(string kernel)
    {
        Assert.Matches(@"^\d+\.\d+$", KernelSources.PtxIsaVersion(kernel));
    }

    // The argument lists CudaKernels hands cuLaunchKernel, in order: ptr = nint or CUdeviceptr (8 bytes),
    // int = int or a DType code (4), u64 = ulong element count (8), f32 = float (4). cuLaunchKernel copies each
    // argument with the size the PTX declares, so a list that drifts from the kernel reads the wrong bytes.
    public static TheoryData<string, string> LaunchLayouts => new()
    {
        { "scale", "ptr int f32 u64" },
        { "cast", "ptr int ptr int u64" },
        { "nonfinite", "ptr int u64 ptr" },
        { "sumsq", "ptr int u64 ptr" },
        { "adam", "ptr ptr ptr ptr int ptr int u64 f32 f32 f32 f32 f32 int f32 f32 f32 f32" },
        { "sgd", "ptr ptr ptr int ptr int u64 f32 f32 f32 f32 int int f32" },
    };

    [Theory]
    [MemberData(nameof(LaunchLayouts))]
    public void Each_kernel_takes_the_parameters_cuda_kernels_passes(string kernel, string layout)
    {
        string ptx = Encoding.UTF8.GetString(KernelSources.Read($"{kernel}.ptx"));
        int start = ptx.IndexOf($".visible .entry elixir_{kernel}(", StringComparison.Ordinal);
        Assert.True(start >= 0, $"kernels/{kernel}.ptx has no entry elixir_{kernel}.");
        string parameters = ptx[start..ptx.IndexOf(')', start)];
        string[] declared = [.. parameters.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith(".param ", StringComparison.Ordinal))
            .Select(line => line.Split(' ')[1])];

        string[] expected = [.. layout.Split(' ').Select(kind => kind switch
        {
            "ptr" or "u64" => ".u64",
            "int" => ".u32",
            "f32" => ".f32",
            _ => throw new ArgumentException(kind),
        })];
        Assert.Equal(expected, declared);
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Each_ptx_is_isa_7_8_or_older_so_cuda_11_8_drivers_can_jit_it(string kernel)
    {
        Version isa = Version.Parse(KernelSources.PtxIsaVersion(kernel));

        Assert.True(isa <= new Version(7, 8), $"kernels/{kernel}.ptx is PTX ISA {isa}; a CUDA 11.8 driver JIT-compiles 7.8 at most. Rebuild with build-ptx.sh and CUDA 11.8's nvcc.");
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Each_ptx_assembles_offline_for_ampere_and_hopper(string kernel)
    {
        string? ptxas = PtxAssembler.Find();
        Assert.SkipWhen(ptxas is null, $"ptxas is not installed ({PtxAssembler.Searched}); .ci/run installs Debian's nvidia-cuda-toolkit where it can.");
        string file = Path.Combine(Path.GetTempPath(), $"elixir-{kernel}-{Environment.ProcessId}-{Guid.NewGuid():N}.ptx");
        File.WriteAllBytes(file, KernelSources.Read($"{kernel}.ptx"));
        try
        {
            foreach (string arch in (string[])["sm_80", "sm_90"])
            {
                (int exitCode, string output) = PtxAssembler.Assemble(ptxas!, file, arch);
                Assert.True(exitCode == 0, $"ptxas -arch={arch} rejected kernels/{kernel}.ptx (exit {exitCode}): {output}");
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("scale")]
    [InlineData("cast")]
    [InlineData("nonfinite")]
    [InlineData("sumsq")]
    [InlineData("adam")]
    [InlineData("sgd")]
    public void Each_kernel_is_found_by_name_in_the_file_that_defines_its_entry(string kernel)
    {
        string file = KernelSources.Names[KernelSources.IndexOf(kernel)];

        Assert.Equal(kernel, file);
        Assert.Contains($".entry elixir_{kernel}(", Encoding.UTF8.GetString(KernelSources.Read($"{file}.ptx")));
    }

    [Fact]
    public void An_unknown_kernel_name_throws_naming_the_kernel_files()
    {
        var error = Assert.Throws<ArgumentException>(() => KernelSources.IndexOf("softmax"));

        Assert.Contains("'softmax'", error.Message);
        Assert.Contains("scale, cast, nonfinite, sumsq, adam, sgd", error.Message);
    }

    [Fact]
    public void The_source_files_on_disk_match_the_embedded_ones()
    {
        string? folder = FindKernelFolder();
        Assert.SkipWhen(folder is null, "The repository's kernels folder is not beside this test run (a published runner).");
        foreach (string file in Directory.GetFiles(folder!).Where(f => f.EndsWith(".cu") || f.EndsWith(".cuh") || f.EndsWith(".ptx")))
        {
            Assert.Equal(File.ReadAllBytes(file), KernelSources.Read(Path.GetFileName(file)));
        }
    }

    private static string? FindKernelFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "Elixir.Runtime", "Kernels", "Cuda", "Sources");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
