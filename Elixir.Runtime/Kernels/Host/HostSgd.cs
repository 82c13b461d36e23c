using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Elixir.Kernels.Host;

/// <summary>
/// The SGD update of PyTorch's single-tensor <c>torch.optim.SGD</c> in fp32: <c>g = grad * scale + wd * p</c>;
/// with momentum, <c>buf = g</c> on the first step and <c>buf = momentum * buf + (1 - dampening) * g</c> afterwards,
/// then <c>g = g + momentum * buf</c> (Nesterov) or <c>g = buf</c>; finally <c>p -= lr * g</c>.
/// </summary>
internal readonly struct HostSgd
{
    private readonly float _learningRate;
    private readonly float _momentum;
    private readonly float _oneMinusDampening;
    private readonly float _weightDecay;
    private readonly bool _hasWeightDecay;
    private readonly bool _hasMomentum;
    private readonly bool _nesterov;
    private readonly bool _firstStep;
    private readonly float _gradientScale;

    public HostSgd(in SgdParameters p)
    {
        _learningRate = p.LearningRate;
        _momentum = p.Momentum;
        _oneMinusDampening = (float)(1.0 - p.Dampening);
        _weightDecay = p.WeightDecay;
        _hasWeightDecay = p.WeightDecay != 0f;
        _hasMomentum = p.Momentum != 0f;
        _nesterov = p.Nesterov;
        _firstStep = p.FirstStep;
        _gradientScale = p.GradientScale;
    }

    /// <summary>True when the update reads and writes a momentum buffer.</summary>
    public bool UsesMomentum => _hasMomentum;

    /// <summary>Updates one block in place; <paramref name="momentum"/> is empty when momentum is 0.</summary>
    public void Apply(Span<float> master, Span<float> momentum, ReadOnlySpan<float> gradient)
    {
        ref float p = ref MemoryMarshal.GetReference(master);
        ref float b = ref MemoryMarshal.GetReference(momentum);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        int length = master.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lr = new Vector<float>(_learningRate);
            var mu = new Vector<float>(_momentum);
            var oneMinusDampening = new Vector<float>(_oneMinusDampening);
            var wd = new Vector<float>(_weightDecay);
            var scale = new Vector<float>(_gradientScale);
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector<float> pi = Vector.LoadUnsafe(ref p, (nuint)i);
                Vector<float> gi = Vector.LoadUnsafe(ref g, (nuint)i) * scale;
                if (_hasWeightDecay)
                {
                    gi += wd * pi;
                }

                if (_hasMomentum)
                {
                    Vector<float> bi = _firstStep ? gi : mu * Vector.LoadUnsafe(ref b, (nuint)i) + oneMinusDampening * gi;
                    bi.StoreUnsafe(ref b, (nuint)i);
                    gi = _nesterov ? gi + mu * bi : bi;
                }

                (pi - lr * gi).StoreUnsafe(ref p, (nuint)i);
            }
        }

        for (; i < length; i++)
        {
            float gi = Unsafe.Add(ref g, i) * _gradientScale;
            ref float pi = ref Unsafe.Add(ref p, i);
            if (_hasWeightDecay)
            {
                gi += _weightDecay * pi;
            }

            if (_hasMomentum)
            {
                ref float bi = ref Unsafe.Add(ref b, i);
                bi = _firstStep ? gi : _momentum * bi + _oneMinusDampening * gi;
                gi = _nesterov ? gi + _momentum * bi : bi;
            }

            pi -= _learningRate * gi;
        }
    }
}
