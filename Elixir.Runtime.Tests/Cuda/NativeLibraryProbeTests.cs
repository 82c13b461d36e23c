using Elixir.Collectives.Nccl;
using Elixir.Cuda;
using Elixir.Interop;

namespace Elixir.Runtime.Tests.Cuda;

public sealed class NativeLibraryProbeTests
{
    [Fact]
    public void An_override_naming_a_missing_file_is_reported_as_not_available_with_its_path()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"elixir-missing-{Guid.NewGuid():N}", "libnccl.so.2");
        var environment = new Dictionary<string, string?> { ["ELIXIR_NCCL_LIBRARY"] = missing };

        NativeLibraryAvailability result = NativeLibraryProbe.Probe("libnccl.so.2", "ELIXIR_NCCL_LIBRARY", name => environment.GetValueOrDefault(name), ["/usr/lib"]);

        Assert.False(result.IsAvailable);
        Assert.Equal([$"ELIXIR_NCCL_LIBRARY={missing} (no such file)"], result.Searched);
        Assert.Equal($"libnccl.so.2 is not available; searched: ELIXIR_NCCL_LIBRARY={missing} (no such file).", result.Describe());
    }

    [Fact]
    public void An_override_naming_a_file_that_is_no_library_is_reported_as_not_loadable()
    {
        string notALibrary = Path.GetTempFileName();
        try
        {
            NativeLibraryAvailability result = NativeLibraryProbe.Probe("libcuda.so.1", "ELIXIR_CUDA_LIBRARY", _ => notALibrary, []);

            Assert.False(result.IsAvailable);
            Assert.Equal([$"ELIXIR_CUDA_LIBRARY={notALibrary} (exists but could not be loaded)"], result.Searched);
        }
        finally
        {
            File.Delete(notALibrary);
        }
    }

    [Fact]
    public void Without_an_override_the_loader_search_and_then_every_folder_are_listed_in_order()
    {
        string name = $"libelixir-absent-{Guid.NewGuid():N}.so";

        NativeLibraryAvailability result = NativeLibraryProbe.Probe(name, "ELIXIR_TEST_LIBRARY", _ => null, ["/first", "/second"]);

        Assert.False(result.IsAvailable);
        Assert.Equal(["ELIXIR_TEST_LIBRARY (not set)", $"{name} (system loader search path)", $"/first/{name}", $"/second/{name}"], result.Searched);
    }

    [Fact]
    public void Python_environments_contribute_their_nvidia_nccl_lib_folders()
    {
        string venv = Path.Combine(Path.GetTempPath(), $"elixir-venv-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(venv, "lib", "python3.12", "site-packages"));
        try
        {
            var folders = PythonNcclFolders.Enumerate(name => name == "VIRTUAL_ENV" ? venv : null).ToList();

            Assert.Equal(Path.Combine(venv, "lib", "python3.12", "site-packages", "nvidia", "nccl", "lib"), folders[0]);
        }
        finally
        {
            Directory.Delete(venv, recursive: true);
        }
    }

    [Fact]
    public void A_missing_library_surfaces_as_an_exception_listing_the_search()
    {
        var exception = new NativeLibraryNotAvailableException("libnccl.so.2", ["a", "b"]);

        Assert.Equal("libnccl.so.2 is not available; searched: a; b.", exception.Message);
    }

    [Fact]
    public void Without_the_driver_opening_a_device_throws_the_not_available_error_instead_of_a_loader_exception()
    {
        Assert.SkipWhen(NativeLibraries.Cuda.IsAvailable, $"This machine has the CUDA driver ({NativeLibraries.Cuda.Describe()})");
        Assert.SkipWhen(Environment.GetEnvironmentVariable("ELIXIR_CUDA_LIBRARY") is { Length: > 0 }, "ELIXIR_CUDA_LIBRARY is set; the search is the override alone.");

        var e = Assert.Throws<NativeLibraryNotAvailableException>(() => CudaDevice.Open(0));

        Assert.Equal("libcuda.so.1", e.Library);
        Assert.Contains("ELIXIR_CUDA_LIBRARY", e.Message);
        Assert.Contains("libcuda.so.1 (system loader search path)", e.Message);
        Assert.Equal(0, CudaPlatform.DeviceCount);
        Assert.StartsWith("libcuda.so.1 is not available; searched: ", CudaPlatform.UnavailableReason);
    }

    [Fact]
    public void Without_nccl_its_entry_points_throw_the_not_available_error_listing_the_python_folders_too()
    {
        Assert.SkipWhen(NativeLibraries.Nccl.IsAvailable, $"This machine has NCCL ({NativeLibraries.Nccl.Describe()})");
        Assert.SkipWhen(Environment.GetEnvironmentVariable("ELIXIR_NCCL_LIBRARY") is { Length: > 0 }, "ELIXIR_NCCL_LIBRARY is set; the search is the override alone.");

        var e = Assert.Throws<NativeLibraryNotAvailableException>(() => NcclCommunicator.CreateUniqueId());

        Assert.Equal("libnccl.so.2", e.Library);
        Assert.Equal(["ELIXIR_NCCL_LIBRARY (not set)", "libnccl.so.2 (system loader search path)"], e.Searched.Take(2));
        Assert.All(e.Searched.Skip(2), folder => Assert.EndsWith(Path.Combine("nvidia", "nccl", "lib", "libnccl.so.2"), folder));
        Assert.False(CudaPlatform.IsNcclAvailable);
    }
}
