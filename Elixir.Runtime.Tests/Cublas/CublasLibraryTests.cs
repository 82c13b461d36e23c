using Elixir.Interop;

namespace Elixir.Runtime.Tests.Cublas;

public sealed class CublasLibraryTests
{
    [Fact]
    public void An_override_naming_a_missing_file_is_the_only_place_tried_and_is_named()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"elixir-missing-{Guid.NewGuid():N}", "libcublas.so.13");

        NativeLibraryAvailability result = CublasLibrary.Probe(name => name == "ELIXIR_CUBLAS_LIBRARY" ? missing : null);

        Assert.False(result.IsAvailable);
        Assert.Equal([$"ELIXIR_CUBLAS_LIBRARY={missing} (no such file)"], result.Searched);
        Assert.StartsWith("libcublas.so.13 is not available; searched: ELIXIR_CUBLAS_LIBRARY=", result.Describe());
    }

    [Fact]
    public void Python_wheels_then_the_cuda_install_are_searched_in_that_order()
    {
        string venv = Path.Combine(Path.GetTempPath(), $"elixir-venv-{Guid.NewGuid():N}");
        string sitePackages = Path.Combine(venv, "lib", "python3.12", "site-packages");
        Directory.CreateDirectory(sitePackages);
        try
        {
            var environment = new Dictionary<string, string?> { ["VIRTUAL_ENV"] = venv, ["CUDA_HOME"] = "/opt/cuda-13.0" };

            var folders = CublasLibrary.Folders(name => environment.GetValueOrDefault(name)).ToList();

            Assert.Equal(Path.Combine(sitePackages, "nvidia", "cu13", "lib"), folders[0]);
            Assert.Equal(Path.Combine(sitePackages, "nvidia", "cublas", "lib"), folders[1]);
            Assert.Equal(["/opt/cuda-13.0/lib64", "/usr/local/cuda/lib64"], folders[^2..]);
        }
        finally
        {
            Directory.Delete(venv, recursive: true);
        }
    }

    [Fact]
    public void The_versioned_file_names_are_tried_newest_first()
    {
        Assert.Equal(["libcublas.so.13", "libcublas.so.12", "libcublas.so.11"], CublasLibrary.FileNames);
    }
}
