using Elixir.Numerics;

namespace Elixir.Cli.Training;

/// <summary>
/// The largest parameter difference <c>--verify</c> accepts between N ranks and one, unless
/// <c>--verify-tolerance</c> states another. fp32 on the host without accumulation is exact by construction: one
/// rank playing each rank in turn sums the same gradients in the same order, so any difference is a bug. Elsewhere
/// the two runs round differently (16-bit reductions, micro-batches averaged before they are accumulated, cuBLAS
/// summing B and B/N rows in other orders), and the
/// difference drifts with the steps. Adam moves a parameter by about the learning rate per step at most, so the
/// tolerance is a fraction of lr × steps: 1 % in fp32 on GPUs, 10 % with 16-bit parameters. A rank whose
/// gradients are lost or counted twice moves the parameters by a large share of that bound within a few steps.
/// </summary>
internal static class VerifyTolerance
{
    /// <summary>The default for <paramref name="settings"/> after <paramref name="steps"/> steps (a resumed run counts only its own).</summary>
    public static double Default(TrainSettings settings, int steps) =>
        settings.Device == TrainDevice.Host && settings.ParameterType == DType.Float32 && settings.Accumulation == 1
            ? 0
            : (settings.ParameterType == DType.Float32 ? 0.01 : 0.1) * settings.LearningRate * steps;
}
