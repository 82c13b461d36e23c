using Elixir.Cuda;

namespace Elixir.Runtime.Tests.Cli;

public sealed class TrainDeviceTests
{
    [Fact]
    public void Cuda_on_a_machine_without_a_gpu_is_one_line_with_exit_code_5()
    {
        Assert.SkipWhen(CudaPlatform.DeviceCount > 0, "This machine has a CUDA device.");

        CliRunner.AssertFails(5, "--device cuda: no CUDA device is usable here: ", "train", "--device", "cuda", "--steps", "1");
    }

    [Fact]
    public void An_unknown_device_is_a_usage_error() =>
        CliRunner.AssertFails(2, "'tpu'", "train", "--device", "tpu");
}
