using Elixir.Collectives.Host;
using Elixir.Engine;
using Elixir.Kernels.Host;
using Elixir.Memory.Host;
using Elixir.Numerics;
using Elixir.Planning;
using Elixir.Runtime.Tests.Engine;
using Elixir.Samples.Training;

namespace Elixir.Tests.Memory;

/// <summary>An engine refuses a plan made for options that size its memory differently, before allocating anything.</summary>
public sealed class EnginePlanOptionsTests
{
    public static TheoryData<string, string> Mismatches => new()
    {
        { "type", "parameter type Float32, the engine's is Float16" },
        { "offload", "shards on the device, the engine offloads" },
        { "accumulation", "1 accumulation steps, the engine's are 2" },
        { "fp32 reduce", "reductions in the parameter type, the engine reduces in fp32" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void APlanForOtherOptions_IsRefusedNamingTheOption(string option, string message)
    {
        var options = EngineMemoryRun.Options(DType.Float32, offload: false, prefetch: false, accumulation: 1) with { ReduceInFp32 = false };
        var engine = option switch
        {
            "type" => options with { ParameterType = DType.Float16 },
            "offload" => options with { Offload = true },
            "accumulation" => options with { AccumulationSteps = 2 },
            _ => options with { ParameterType = DType.BFloat16, ReduceInFp32 = true },
        };
        var planOptions = EngineMemoryRun.PlanOptions(EngineMemoryRun.Gpt2, options) with
        {
            TrainingType = option == "fp32 reduce" ? DType.BFloat16 : DType.Float32,
        };

        var error = Assert.Throws<LocalClusterException>(() => LocalCluster.Run(2, communicator =>
        {
            using var backend = new HostMemoryBackend();
            var model = new Gpt2Training(Gpt2EngineRun.Config, 2, Gpt2EngineRun.Seed);
            var plan = Planner.Create(model.Definition.PlanParameters(), planOptions with { WorldSize = 2 });
            try
            {
                new TrainingEngine(model.Definition, communicator, backend, new HostKernels(), engine, plan).Dispose();
            }
            finally
            {
                Assert.Equal(0, backend.LiveBuffers);
            }

            return 0;
        }));
        Assert.Contains(message, Assert.IsType<ArgumentException>(error.InnerException).Message);
    }
}
