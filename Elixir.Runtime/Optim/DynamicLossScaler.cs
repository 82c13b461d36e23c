namespace Elixir.Optim;

/// <summary>
/// The loss scale of mixed-precision training, with ColossalAI <c>DynamicGradScaler</c>'s behaviour: an overflow
/// resets the growth count and counts towards the hysteresis; once <see cref="LossScalerOptions.Hysteresis"/>
/// overflows have accumulated since the last growth, every further overflow multiplies the scale by the backoff
/// factor (clamped to the minimum). <see cref="LossScalerOptions.GrowthInterval"/> consecutive overflow-free steps
/// multiply it by the growth factor (clamped to the maximum) and reset the hysteresis count. The scale is kept in
/// fp32, as the original keeps it in a float tensor.
/// </summary>
public sealed class DynamicLossScaler
{
    private readonly LossScalerOptions _options;
    private LossScalerState _state;

    /// <summary>Creates a scaler; invalid settings throw naming the setting and its value.</summary>
    public DynamicLossScaler(LossScalerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = options;
        _state = new LossScalerState(options.InitialScale, 0, 0);
    }

    /// <summary>The factor the loss is multiplied by before the backward pass.</summary>
    public float Scale => _state.Scale;

    /// <summary>The state to save with a checkpoint.</summary>
    public LossScalerState State => _state;

    /// <summary>Restores a saved state; a non-positive or non-finite scale throws and keeps the current state.</summary>
    public void Restore(LossScalerState state)
    {
        if (!(state.Scale > 0f) || float.IsInfinity(state.Scale) || state.GrowthStep < 0 || state.HysteresisStep < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(state), state, "A loss scaler state needs a finite positive scale and non-negative counters.");
        }

        _state = state;
    }

    /// <summary>
    /// Records one step's outcome (<paramref name="overflow"/> must already be agreed by every rank) and returns
    /// true when the optimizer must skip the step.
    /// </summary>
    public bool Update(bool overflow)
    {
        float scale = _state.Scale;
        int growthStep = _state.GrowthStep;
        int hysteresisStep = _state.HysteresisStep;
        if (overflow)
        {
            hysteresisStep++;
            growthStep = 0;
            if (hysteresisStep >= _options.Hysteresis)
            {
                scale *= _options.BackoffFactor;
                if (_options.MinScale is float min)
                {
                    scale = MathF.Max(scale, min);
                }
            }
        }
        else
        {
            growthStep++;
            if (growthStep == _options.GrowthInterval)
            {
                growthStep = 0;
                hysteresisStep = 0;
                scale *= _options.GrowthFactor;
                if (_options.MaxScale is float max)
                {
                    scale = MathF.Min(scale, max);
                }
            }
        }

        _state = new LossScalerState(scale, growthStep, hysteresisStep);
        return overflow;
    }

    private static void Validate(LossScalerOptions o)
    {
        if (!(o.InitialScale > 0f) || float.IsInfinity(o.InitialScale))
        {
            Throw(nameof(o.InitialScale), o.InitialScale, "must be finite and > 0");
        }

        if (!(o.GrowthFactor > 1f))
        {
            Throw(nameof(o.GrowthFactor), o.GrowthFactor, "must be > 1");
        }

        if (!(o.BackoffFactor > 0f && o.BackoffFactor < 1f))
        {
            Throw(nameof(o.BackoffFactor), o.BackoffFactor, "must be in (0, 1)");
        }

        if (o.GrowthInterval < 1)
        {
            Throw(nameof(o.GrowthInterval), o.GrowthInterval, "must be ≥ 1");
        }

        if (o.Hysteresis < 0)
        {
            Throw(nameof(o.Hysteresis), o.Hysteresis, "must be ≥ 0");
        }

        if (o.MinScale is float min && !(min > 0f && min <= o.InitialScale))
        {
            Throw(nameof(o.MinScale), min, $"must be > 0 and ≤ the initial scale {o.InitialScale}");
        }

        if (o.MaxScale is float max && !(max >= o.InitialScale))
        {
            Throw(nameof(o.MaxScale), max, $"must be ≥ the initial scale {o.InitialScale}");
        }
    }

    private static void Throw(string name, object value, string rule) =>
        throw new ArgumentOutOfRangeException(name, value, $"Loss scaler setting {name} = {value} {rule}.");
}
