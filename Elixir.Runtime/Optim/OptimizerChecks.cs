namespace Elixir.Optim;

/// <summary>Range checks whose messages name the parameter group, the setting and the value.</summary>
internal static class OptimizerChecks
{
    public static void NonNegative(string group, string name, double value)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Parameter group '{group}': {name} must be finite and ≥ 0.");
        }
    }

    public static void InUnitInterval(string group, string name, double value)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Parameter group '{group}': {name} must be in [0, 1).");
        }
    }
}
