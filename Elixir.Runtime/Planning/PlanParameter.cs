using Elixir.Numerics;

namespace Elixir.Planning;

/// <summary>One model parameter as the planner sees it: its name, shape and the modules that use it.</summary>
/// <remarks>
/// No element type: every parameter is planned in the training type of <see cref="PlannerOptions"/>, as upstream
/// casts all parameters to one unified type before searching.
/// </remarks>
public sealed record PlanParameter
{
    /// <summary>Creates a parameter; more than one distinct module (or <paramref name="multiUse"/>) makes it fused.</summary>
    /// <param name="name">The parameter's full name, unique in the model.</param>
    /// <param name="shape">Its dimensions, each positive.</param>
    /// <param name="modules">The modules that use it, the owning module first.</param>
    /// <param name="multiUse">Marks it used by several modules even when only its owner is listed.</param>
    /// <exception cref="ArgumentException">The name is empty, a dimension is not positive, or no module is given.</exception>
    public PlanParameter(string name, IReadOnlyList<long> shape, IReadOnlyList<string> modules, bool multiUse = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(modules);
        long count = 1;
        foreach (long d in shape)
        {
            if (d <= 0)
            {
                throw new ArgumentException($"Parameter '{name}' has dimension {d} in shape [{string.Join(", ", shape)}]; dimensions must be positive.", nameof(shape));
            }

            count = checked(count * d);
        }

        if (modules.Count == 0)
        {
            throw new ArgumentException($"Parameter '{name}' lists no module that uses it.", nameof(modules));
        }

        Name = name;
        Shape = shape.ToArray();
        Modules = modules.Distinct(StringComparer.Ordinal).ToArray();
        ElementCount = count;
        IsMultiUse = multiUse || Modules.Count > 1;
    }

    /// <summary>The parameter's full name.</summary>
    public string Name { get; }

    /// <summary>The dimensions, outermost first.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The distinct modules that use the parameter, the owner first.</summary>
    public IReadOnlyList<string> Modules { get; }

    /// <summary>The number of elements (the product of <see cref="Shape"/>).</summary>
    public long ElementCount { get; }

    /// <summary>True when several modules use the parameter: it gets a fused (private) chunk of its own.</summary>
    public bool IsMultiUse { get; }

    /// <summary>
    /// The type the model's code reads the parameter in (its layout's declaration), or null for the training type.
    /// An fp32 parameter trained in fp16/bf16 is staged in fp32 for compute, which the plan counts.
    /// </summary>
    public DType? DeclaredType { get; init; }

    /// <summary>
    /// The layout instance the parameter belongs to (its initial values are made a whole instance at a time), or
    /// null for the name up to the last dot.
    /// </summary>
    public string? Layout { get; init; }

    /// <summary>The default module of a parameter: its name up to the last dot (the whole name when it has none).</summary>
    public static string DefaultModule(string name)
    {
        int dot = name.LastIndexOf('.');
        return dot > 0 ? name[..dot] : name;
    }
}
