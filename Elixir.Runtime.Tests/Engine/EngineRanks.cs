using Elixir.Collectives.Host;
using Elixir.Engine;
using Elixir.Kernels.Host;
using Elixir.Memory.Host;
using Elixir.Planning;

namespace Elixir.Runtime.Tests.Engine;

/// <summary>Runs one engine per in-process rank and checks that every buffer is freed afterwards.</summary>
internal static class EngineRanks
{
    public static T[] Run<T>(int worldSize, Func<ModelDefinition> define, EngineOptions options, PlannerOptions? plan,
        Func<TrainingEngine, ModelDefinition, T> body)
    {
        return LocalCluster.Run(worldSize, communicator =>
        {
            using var backend = new HostMemoryBackend();
            T result;
            var model = define();
            var planned = plan is null ? null : Planner.Create(model.PlanParameters(), plan with
            {
                WorldSize = worldSize,
                TrainingType = options.ParameterType,
                Offload = options.Offload,
                AccumulationSteps = options.AccumulationSteps,
                ReduceInFp32 = options.ReduceInFp32,
            });
            using (var engine = new TrainingEngine(model, communicator, backend, new HostKernels(), options, planned))
            {
                result = body(engine, model);
            }

            Assert.Equal(0, backend.LiveBuffers);
            return result;
        }, new LocalClusterOptions { Checked = true, CollectiveTimeout = TimeSpan.FromSeconds(20) });
    }
}
