using Elixir.Memory;
using Elixir.Planning;

namespace Elixir.Engine;

/// <summary>
/// Holds the engine to its plan: a buffer laid out by the engine must fit the size the plan gave it, and a device
/// budget the engine was given becomes the backend's, for the engine's lifetime.
/// </summary>
internal static class EngineMemory
{
    /// <summary>A plan made for another model could give a buffer too little room; that is refused before anything is written.</summary>
    public static void CheckBuffer(long plannedBytes, long neededBytes, string buffer)
    {
        if (neededBytes > plannedBytes)
        {
            throw new ArgumentException(
                $"The plan gives the {buffer} buffer {plannedBytes} bytes but the model's modules need {neededBytes}; the plan is for another model or training type.");
        }
    }

    /// <summary>
    /// Checks that the whole plan (engine peak and the model's working memory) fits <paramref name="bytes"/> (when
    /// given), before anything is allocated, and makes it the backend's device budget.
    /// </summary>
    /// <exception cref="PlanBudgetException">The plan needs more device memory than the budget, by category.</exception>
    public static void SetDeviceBudget(IMemoryBackend backend, long? bytes, Plan plan)
    {
        if (bytes is long budget && plan.Memory.RequiredDeviceBytes > budget)
        {
            throw new PlanBudgetException(plan.Memory, budget,
                $"the plan ({plan.Chunks.Count} chunks of up to {plan.Chunks.Max(c => c.Size)} elements, {plan.RCache.PublicBlocks} rCache blocks, " +
                $"{(plan.Chunks.All(c => c.ShardLocation == MemoryLocation.Host) ? "offloaded" : "shards on the device")})");
        }

        if (bytes is not null)
        {
            backend.Counters.SetBudget(MemoryLocation.Device, bytes);
        }
    }

    /// <summary>
    /// A plan sizes the engine's memory for a parameter type, offload, accumulation and fp32 reduction; a plan made
    /// for other options would leave buffers unplanned, so it is refused naming the option.
    /// </summary>
    public static void CheckPlanOptions(Plan plan, EngineOptions options, int worldSize)
    {
        var planned = plan.Options;
        OptimizerKind optimizer = Optimizer(options);
        string? mismatch =
            planned.TrainingType != options.ParameterType ? $"parameter type {planned.TrainingType}, the engine's is {options.ParameterType}"
            : OptimizerFootprint.Moments(planned.Optimizer) < OptimizerFootprint.Moments(optimizer)
                ? $"optimizer {planned.Optimizer} ({OptimizerFootprint.Moments(planned.Optimizer)} fp32 moments per element), the engine's {optimizer} keeps {OptimizerFootprint.Moments(optimizer)}"
            : options.Offload && plan.Chunks.Any(c => c.ShardLocation == MemoryLocation.Device) ? "shards on the device, the engine offloads"
            : (planned.AccumulationSteps > 1) != (options.AccumulationSteps > 1) ? $"{planned.AccumulationSteps} accumulation steps, the engine's are {options.AccumulationSteps}"
            : options.ReduceInFp32 && !planned.ReduceInFp32 && options.ParameterType != Numerics.DType.Float32 && worldSize > 1
                ? "reductions in the parameter type, the engine reduces in fp32"
            : null;
        if (mismatch is not null)
        {
            throw new ArgumentException($"The plan is for {mismatch}; make the plan with the engine's options so it sizes every buffer.", nameof(plan));
        }
    }

    /// <summary>The optimizer state the engine's options keep, as the planner counts it.</summary>
    public static OptimizerKind Optimizer(EngineOptions options) =>
        options.Sgd is null ? OptimizerKind.Adam
        : options.Sgd.NeedsMomentumBuffer ? OptimizerKind.Sgd
        : OptimizerKind.SgdWithoutMomentum;

    /// <summary>Removes the device budget <see cref="SetDeviceBudget"/> set, if it set one.</summary>
    public static void ClearDeviceBudget(IMemoryBackend backend, long? bytes)
    {
        if (bytes is not null)
        {
            backend.Counters.SetBudget(MemoryLocation.Device, null);
        }
    }
}
