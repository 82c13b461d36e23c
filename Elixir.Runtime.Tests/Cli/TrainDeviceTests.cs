using Elixir.Cli.Training;
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

    [Fact]
    public void The_header_names_the_backend_and_where_each_rank_runs()
    {
        var settings = new Elixir.Cli.Training.TrainSettings
        {
            Ranks = 2, ParameterType = Elixir.Numerics.DType.Float32, Offload = false, Prefetch = false, Steps = 1, Batch = 16,
            Accumulation = 1, LearningRate = 3e-3, Clip = 1, Seed = 1, LogEvery = 1, Channels = 64, Layers = 2, Heads = 4, SequenceLength = 32,
        };

        Assert.Equal("host backend, 2 in-process ranks", TrainDevice.Describe(settings, job: null));
        Assert.Equal("CUDA, rank 5 of 8 on GPU 1",
            TrainDevice.Describe(settings with { Device = TrainDevice.Cuda }, new Elixir.Collectives.Nccl.DistributedEnvironment(5, 8, 1, "10.0.0.1", 29501)));
    }
}
