using Elixir.Kernels;
using Elixir.Kernels.Host;
using Elixir.Numerics;
using Elixir.Runtime.Tests.Kernels;

namespace Elixir.Runtime.Tests.Engine;

/// <summary>
/// Data-parallel training without chunks or shards: every parameter in one fp32 buffer, each rank's gradient in
/// its own buffer, averaged in rank order (the host backend's fixed reduction order), then one optimizer kernel
/// call over the whole buffer. The engine must end where this ends.
/// </summary>
internal sealed class ReferenceTrainer : IDisposable
{
    private readonly HostKernels _kernels = new();
    private readonly TestHostBuffer _parameters;
    private readonly TestHostBuffer _first;
    private readonly TestHostBuffer _second;
    private readonly TestHostBuffer _gradient;
    private int _step;

    public ReferenceTrainer(ReadOnlySpan<float> initial)
    {
        _parameters = TestHostBuffer.Of(initial);
        _first = TestHostBuffer.Zeroed(initial.Length * sizeof(float));
        _second = TestHostBuffer.Zeroed(initial.Length * sizeof(float));
        _gradient = TestHostBuffer.Zeroed(initial.Length * sizeof(float));
    }

    public Span<float> Parameters => _parameters.All.AsSpan<float>();

    /// <summary>Averages the ranks' gradients as the host reduce-scatter does: sum in rank order, then divide.</summary>
    public void SetAveragedGradient(float[][] rankGradients)
    {
        var average = _gradient.All.AsSpan<float>();
        for (int i = 0; i < average.Length; i++)
        {
            float sum = rankGradients[0][i];
            for (int r = 1; r < rankGradients.Length; r++)
            {
                sum += rankGradients[r][i];
            }

            average[i] = rankGradients.Length == 1 ? sum : sum / rankGradients.Length;
        }
    }

    public void Adam(float learningRate, float weightDecay, float gradientScale = 1f)
    {
        _step++;
        _kernels.Adam(_parameters.All, _first.All, _second.All, _gradient.All, DType.Float32, default, DType.Float32,
            new AdamParameters(learningRate, 0.9, 0.999, 1e-8, weightDecay, true, _step, gradientScale));
    }

    /// <summary>AdamW with each element's own weight decay (parameter groups), one element-wise call per run of equal decay.</summary>
    public void AdamPerElementDecay(float learningRate, ReadOnlySpan<float> decay)
    {
        _step++;
        int start = 0;
        while (start < decay.Length)
        {
            int end = start + 1;
            while (end < decay.Length && decay[end] == decay[start])
            {
                end++;
            }

            long offset = start * sizeof(float);
            long bytes = (end - start) * sizeof(float);
            _kernels.Adam(_parameters.All.Slice(offset, bytes), _first.All.Slice(offset, bytes), _second.All.Slice(offset, bytes),
                _gradient.All.Slice(offset, bytes), DType.Float32, default, DType.Float32,
                new AdamParameters(learningRate, 0.9, 0.999, 1e-8, decay[start], true, _step, 1f));
            start = end;
        }
    }

    public void Sgd(float learningRate, float momentum, float gradientScale = 1f)
    {
        _step++;
        _kernels.Sgd(_parameters.All, _first.All, _gradient.All, DType.Float32, default, DType.Float32,
            new SgdParameters(learningRate, momentum, 0f, 0f, false, _step == 1, gradientScale));
    }

    public void Dispose()
    {
        _parameters.Dispose();
        _first.Dispose();
        _second.Dispose();
        _gradient.Dispose();
    }
}
