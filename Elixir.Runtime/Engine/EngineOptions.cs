using Elixir.Numerics;
using Elixir.Optim;

namespace Elixir.Engine;

/// <summary>How a <see cref="TrainingEngine"/> holds, reduces and updates parameters.</summary>
public sealed record EngineOptions
{
    /// <summary>
    /// The type parameter chunks are stored, gathered and reduced in: fp32, or fp16/bf16 for mixed precision
    /// (fp32 master weights and optimizer state are always kept beside them).
    /// </summary>
    public DType ParameterType { get; init; } = DType.Float32;

    /// <summary>Reduce-scatter fp16/bf16 gradients in fp32 (a wider sum, twice the traffic).</summary>
    public bool ReduceInFp32 { get; init; }

    /// <summary>Keep shards, master weights and optimizer state in host memory (the plan's locations otherwise).</summary>
    public bool Offload { get; init; }

    /// <summary>
    /// Gather the next chunk while the current step computes and reduce on a side stream. The first iteration
    /// records the order of the compute steps; later ones prefetch by furthest next use.
    /// </summary>
    public bool Prefetch { get; init; }

    /// <summary>Micro-batches per optimizer step; gradients are accumulated in fp32 between steps.</summary>
    public int AccumulationSteps { get; init; } = 1;

    /// <summary>Adam or AdamW; exactly one of <see cref="Adam"/> and <see cref="Sgd"/> is set.</summary>
    public AdamOptions? Adam { get; init; }

    /// <summary>SGD with momentum; exactly one of <see cref="Adam"/> and <see cref="Sgd"/> is set.</summary>
    public SgdOptions? Sgd { get; init; }

    /// <summary>Dynamic loss scaling; null trains with a fixed scale of 1.</summary>
    public LossScalerOptions? LossScaling { get; init; }

    /// <summary>The largest global gradient L2 norm; 0 disables clipping.</summary>
    public float MaxGradientNorm { get; init; }

    /// <summary>
    /// Device memory per rank in bytes, or null for no limit. The engine plans under it (with the model's working
    /// memory subtracted) and sets it as the backend's device budget, so no allocation can exceed it.
    /// </summary>
    public long? DeviceMemoryBytes { get; init; }

    internal void Validate()
    {
        if (ParameterType is not (DType.Float32 or DType.Float16 or DType.BFloat16))
        {
            throw new ArgumentException($"Engine parameter type {ParameterType} is not fp32, fp16 or bf16.");
        }

        if (AccumulationSteps < 1)
        {
            throw new ArgumentException($"Engine accumulation steps {AccumulationSteps} must be at least 1.");
        }

        if ((Adam is null) == (Sgd is null))
        {
            throw new ArgumentException("Engine options need exactly one optimizer: set Adam or Sgd.");
        }

        if (!(MaxGradientNorm >= 0f) || float.IsInfinity(MaxGradientNorm))
        {
            throw new ArgumentException($"Engine maximum gradient norm {MaxGradientNorm} must be finite and ≥ 0 (0 disables clipping).");
        }

        if (DeviceMemoryBytes is <= 0)
        {
            throw new ArgumentException($"Engine device memory budget {DeviceMemoryBytes} bytes must be positive.");
        }

        if (LossScaling is not null)
        {
            _ = new DynamicLossScaler(LossScaling);
        }
    }
}
