using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Elixir.Kernels.Host;

/// <summary>
/// The Adam/AdamW update of PyTorch's single-tensor <c>torch.optim.Adam</c>/<c>AdamW</c>, element by element in
/// fp32: <c>g = grad * scale</c>; Adam adds <c>wd * p</c> to <c>g</c>, AdamW first does <c>p *= 1 - lr * wd</c>;
/// <c>m = lerp(m, g, 1 - b1)</c> (PyTorch's lerp: <c>m + w * (g - m)</c> for <c>w &lt; 0.5</c>, else
/// <c>g - (g - m) * (1 - w)</c>); <c>v = b2 * v + ((1 - b2) * g) * g</c>;
/// <c>p -= step_size * (m / (sqrt(v) / bias_correction2_sqrt + eps))</c>, with the constants of
/// <see cref="AdamConstants"/>. Multiplies and adds are never fused, so vector lanes and the scalar tail round
/// identically.
/// </summary>
internal readonly struct HostAdam
{
    private readonly float _lerpWeight;
    private readonly float _lerpComplement;
    private readonly bool _lerpFromStart;
    private readonly float _beta2;
    private readonly float _oneMinusBeta2;
    private readonly float _epsilon;
    private readonly float _l2WeightDecay;
    private readonly float _decoupledDecayFactor;
    private readonly bool _decoupled;
    private readonly bool _hasL2;
    private readonly float _stepSize;
    private readonly float _biasCorrection2Sqrt;
    private readonly float _gradientScale;

    public HostAdam(in AdamParameters p)
    {
        var c = AdamConstants.From(p);
        _lerpWeight = c.LerpWeight;
        _lerpComplement = 1f - _lerpWeight;
        _lerpFromStart = Math.Abs(_lerpWeight) < 0.5f;
        _beta2 = c.Beta2;
        _oneMinusBeta2 = c.OneMinusBeta2;
        _epsilon = c.Epsilon;
        _decoupled = p.Decoupled;
        _l2WeightDecay = c.L2WeightDecay;
        _hasL2 = !p.Decoupled && p.WeightDecay != 0;
        _decoupledDecayFactor = c.DecoupledDecayFactor;
        _stepSize = c.StepSize;
        _biasCorrection2Sqrt = c.BiasCorrection2Sqrt;
        _gradientScale = c.GradientScale;
    }

    /// <summary>Updates one block in place; all spans have the same length.</summary>
    public void Apply(Span<float> master, Span<float> expAvg, Span<float> expAvgSq, ReadOnlySpan<float> gradient)
    {
        ref float p = ref MemoryMarshal.GetReference(master);
        ref float m = ref MemoryMarshal.GetReference(expAvg);
        ref float v = ref MemoryMarshal.GetReference(expAvgSq);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        int length = master.Length;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var lerpWeight = new Vector<float>(_lerpWeight);
            var lerpComplement = new Vector<float>(_lerpComplement);
            var beta2 = new Vector<float>(_beta2);
            var oneMinusBeta2 = new Vector<float>(_oneMinusBeta2);
            var epsilon = new Vector<float>(_epsilon);
            var l2 = new Vector<float>(_l2WeightDecay);
            var decay = new Vector<float>(_decoupledDecayFactor);
            var stepSize = new Vector<float>(_stepSize);
            var bc2Sqrt = new Vector<float>(_biasCorrection2Sqrt);
            var scale = new Vector<float>(_gradientScale);
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector<float> pi = Vector.LoadUnsafe(ref p, (nuint)i);
                Vector<float> gi = Vector.LoadUnsafe(ref g, (nuint)i) * scale;
                if (_decoupled)
                {
                    pi *= decay;
                }
                else if (_hasL2)
                {
                    gi += l2 * pi;
                }

                Vector<float> mi = Vector.LoadUnsafe(ref m, (nuint)i);
                mi = _lerpFromStart ? mi + lerpWeight * (gi - mi) : gi - (gi - mi) * lerpComplement;
                Vector<float> vi = beta2 * Vector.LoadUnsafe(ref v, (nuint)i) + oneMinusBeta2 * gi * gi;
                Vector<float> denominator = Vector.SquareRoot(vi) / bc2Sqrt + epsilon;
                pi -= stepSize * (mi / denominator);
                mi.StoreUnsafe(ref m, (nuint)i);
                vi.StoreUnsafe(ref v, (nuint)i);
                pi.StoreUnsafe(ref p, (nuint)i);
            }
        }

        for (; i < length; i++)
        {
            UpdateOne(ref Unsafe.Add(ref p, i), ref Unsafe.Add(ref m, i), ref Unsafe.Add(ref v, i), Unsafe.Add(ref g, i));
        }
    }

    private void UpdateOne(ref float p, ref float m, ref float v, float gradient)
    {
        float g = gradient * _gradientScale;
        if (_decoupled)
        {
            p *= _decoupledDecayFactor;
        }
        else if (_hasL2)
        {
            g += _l2WeightDecay * p;
        }

        m = _lerpFromStart ? m + _lerpWeight * (g - m) : g - (g - m) * _lerpComplement;
        v = _beta2 * v + _oneMinusBeta2 * g * g;
        float denominator = MathF.Sqrt(v) / _biasCorrection2Sqrt + _epsilon;
        p -= _stepSize * (m / denominator);
    }
}
