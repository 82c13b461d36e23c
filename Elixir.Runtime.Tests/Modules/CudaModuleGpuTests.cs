using Elixir.Cuda;
using Elixir.Layout;
using Elixir.Memory;
using Elixir.Runtime.Tests.Cuda;
using Elixir.Samples.Models.Cuda;

namespace Elixir.Runtime.Tests.Modules;

/// <summary>The public module API with the sample's own PTX: a user kernel launched by name on the compute stream.</summary>
[Trait("Category", GpuRequirement.Category)]
public sealed class CudaModuleGpuTests
{
    [Fact]
    public void A_kernel_launched_by_name_adds_two_vectors_like_a_plain_loop()
    {
        GpuRequirement.Devices();
        const int Count = 10_007;
        float[] left = [.. Enumerable.Range(0, Count).Select(i => i * 0.5f)];
        float[] right = [.. Enumerable.Range(0, Count).Select(i => 3f - i)];
        using var gpu = new GpuSession();
        using var module = new CudaModule(gpu.Backend, Gpt2CudaSources.Read("pointwise.ptx"), "pointwise.ptx");
        CudaKernel add = module.Kernel("gpt2_residual_forward");
        using NativeBuffer a = gpu.Upload<float>(left), b = gpu.Upload<float>(right), sum = gpu.Upload<float>(new float[Count]);

        var arguments = new KernelArguments();
        arguments.Add(new DevicePointer<float>((ulong)sum.Address, Count));
        arguments.Add(new DevicePointer<float>((ulong)a.Address, Count));
        arguments.Add(new DevicePointer<float>((ulong)b.Address, Count));
        arguments.Add((long)Count);
        add.Launch(Dim3.Cover(Count, 256), 256u, arguments, gpu.Backend.DefaultStream);

        Assert.Equal([.. Enumerable.Range(0, Count).Select(i => left[i] + right[i])], gpu.Download<float>(sum));
    }

    [Fact]
    public void An_unknown_kernel_name_is_an_error_naming_the_module_and_the_name()
    {
        GpuRequirement.Devices();
        using var gpu = new GpuSession();
        using var module = new CudaModule(gpu.Backend, Gpt2CudaSources.Read("pointwise.ptx"), "pointwise.ptx");

        var error = Assert.Throws<CudaException>(() => module.Kernel("gpt2_no_such_kernel"));

        Assert.Contains("cuModuleGetFunction(pointwise.ptx, gpt2_no_such_kernel)", error.Message);
        Assert.Contains("CUDA_ERROR_NOT_FOUND", error.Message);
    }

    [Fact]
    public void Text_that_is_not_ptx_is_refused_naming_the_module()
    {
        GpuRequirement.Devices();
        using var gpu = new GpuSession();

        var error = Assert.Throws<CudaException>(() => new CudaModule(gpu.Backend, "not ptx"u8, "broken.ptx"));

        Assert.Contains("cuModuleLoadData(broken.ptx)", error.Message);
    }
}
