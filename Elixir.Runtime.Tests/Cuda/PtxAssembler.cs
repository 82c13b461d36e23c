using System.Diagnostics;

namespace Elixir.Runtime.Tests.Cuda;

/// <summary>Runs CUDA's offline PTX assembler (<c>ptxas</c>), which needs no GPU, on a PTX file.</summary>
internal static class PtxAssembler
{
    private static readonly string[] Candidates = ["/usr/bin/ptxas", "/usr/local/cuda/bin/ptxas", "/usr/lib/nvidia-cuda-toolkit/bin/ptxas"];

    internal static string Searched => $"PATH, {string.Join(", ", Candidates)}";

    internal static string? Find()
    {
        IEnumerable<string> onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "ptxas"));
        return onPath.Concat(Candidates).FirstOrDefault(File.Exists);
    }

    internal static (int ExitCode, string Output) Assemble(string ptxas, string file, string arch)
    {
        var start = new ProcessStartInfo(ptxas, ["-arch=" + arch, "-o", "/dev/null", file])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill();
            return (-1, "ptxas did not finish within a minute");
        }

        return (process.ExitCode, output + error.Result);
    }
}
