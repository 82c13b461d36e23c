namespace Elixir.Planning;

/// <summary>
/// The per-step parameter lists of one training step, derived from module order: forward through the modules,
/// then backward in reverse, each step being the parameters one module computes with.
/// </summary>
/// <remarks>
/// Module order is the order in which modules first appear as a parameter's owner (its first listed module);
/// modules that own nothing (a tied head) follow in order of first mention. For a model whose parameters are
/// declared in execution order this is the order upstream's tracer records.
/// </remarks>
internal static class ModuleSteps
{
    /// <summary>The modules in execution order.</summary>
    public static List<string> Order(IReadOnlyList<PlanParameter> parameters)
    {
        var owners = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in parameters)
        {
            if (seen.Add(p.Modules[0]))
            {
                owners.Add(p.Modules[0]);
            }
        }

        foreach (var p in parameters)
        {
            foreach (var m in p.Modules)
            {
                if (seen.Add(m))
                {
                    owners.Add(m);
                }
            }
        }

        return owners;
    }

    /// <summary>The parameter indices of each module, keyed by module name, in declaration order.</summary>
    public static Dictionary<string, List<int>> ParametersByModule(IReadOnlyList<PlanParameter> parameters)
    {
        var byModule = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < parameters.Count; i++)
        {
            foreach (var m in parameters[i].Modules)
            {
                if (!byModule.TryGetValue(m, out var list))
                {
                    byModule[m] = list = [];
                }

                list.Add(i);
            }
        }

        return byModule;
    }

    /// <summary>The parameter indices used at each step: forward over <see cref="Order"/>, then backward.</summary>
    public static List<int[]> ParameterSteps(IReadOnlyList<PlanParameter> parameters)
    {
        var order = Order(parameters);
        var byModule = ParametersByModule(parameters);
        var steps = new List<int[]>(2 * order.Count);
        foreach (var m in order)
        {
            steps.Add(byModule[m].ToArray());
        }

        for (int i = order.Count - 1; i >= 0; i--)
        {
            steps.Add(byModule[order[i]].ToArray());
        }

        return steps;
    }
}
