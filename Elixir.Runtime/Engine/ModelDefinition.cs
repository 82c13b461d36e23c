using System.Collections.Immutable;
using Elixir.Layout;
using Elixir.Planning;

namespace Elixir.Engine;

/// <summary>
/// The parameters of a model as the engine sees them: named instances of generated layouts, and the compute
/// modules that use them. A tensor used by several modules (a tied embedding) must be declared multi-use; it
/// gets a fused chunk of its own.
/// </summary>
public sealed class ModelDefinition
{
    private readonly List<LayoutInstance> _instances = [];
    private readonly List<ComputeModule> _modules = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>The layout instances in declaration order (the order parameters are packed in).</summary>
    public IReadOnlyList<LayoutInstance> Instances => _instances;

    /// <summary>The compute modules in declaration order.</summary>
    public IReadOnlyList<ComputeModule> Modules => _modules;

    /// <summary>True once an engine has been built from the definition; it can no longer change.</summary>
    public bool IsFrozen { get; private set; }

    /// <summary>
    /// Adds an instance of <typeparamref name="TLayout"/> named <paramref name="name"/> with the given dimension
    /// values, and a module of the same name using all its tensors unless <paramref name="addModule"/> is false.
    /// <paramref name="initializer"/> fills its fp32 initial values (zeros when null).
    /// </summary>
    /// <returns>
    /// The instance: its typed <see cref="LayoutInstance{TLayout}.Parameters"/> and
    /// <see cref="LayoutInstance{TLayout}.Gradients"/> views, and the <see cref="LayoutInstance.Module"/> to open
    /// scopes with.
    /// </returns>
    /// <remarks>
    /// One <see cref="LayoutDimensions"/> set may be shared by all the layouts of a model; a name that none of
    /// them uses (a misspelling) is an error when the engine is built, naming the dimensions the layouts use.
    /// </remarks>
    public LayoutInstance<TLayout> Add<TLayout>(
        string name, LayoutDimensions? dimensions = null, Action<TLayout>? initializer = null, bool addModule = true)
        where TLayout : struct, IChunkLayout<TLayout>
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        RequireOpen();
        if (!_names.Add(name))
        {
            throw new ArgumentException($"The model already has a layout instance or module named '{name}'.", nameof(name));
        }

        dimensions ??= LayoutDimensions.None;
        var table = TLayout.CreateTable(dimensions);
        var instance = new LayoutInstance<TLayout>(name, table, dimensions, TLayout.DimensionNames);
        if (initializer is not null)
        {
            instance.Initializer = binding => initializer(TLayout.Bind(binding));
        }

        _instances.Add(instance);
        if (addModule)
        {
            instance.OwnModule = AddModuleCore(name, instance.All);
        }

        return instance;
    }

    /// <summary>Adds a module using <paramref name="tensors"/> (of instances of this definition).</summary>
    public ComputeModule AddModule(string name, IEnumerable<TensorReference> tensors)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(tensors);
        RequireOpen();
        if (!_names.Add(name))
        {
            throw new ArgumentException($"The model already has a layout instance or module named '{name}'.", nameof(name));
        }

        return AddModuleCore(name, tensors);
    }

    /// <summary>The planner's view of the parameters: full names, shapes and the modules that use each.</summary>
    public IReadOnlyList<PlanParameter> PlanParameters()
    {
        var parameters = new List<PlanParameter>();
        foreach (var instance in _instances)
        {
            for (int t = 0; t < instance.Table.Count; t++)
            {
                var slot = instance.Table[t];
                var modules = instance.Modules[t].Select(m => m.Name).ToArray();
                parameters.Add(new PlanParameter(instance.FullNames[t], slot.Shape, modules.Length == 0 ? [instance.Name] : modules, slot.MultiUse));
            }
        }

        return parameters;
    }

    /// <summary>Marks the definition in use by an engine; it can no longer change.</summary>
    internal void Freeze() => IsFrozen = true;

    /// <summary>
    /// Checks that every given dimension is used by a layout, that every tensor has a module and that shared
    /// tensors are declared multi-use.
    /// </summary>
    internal void Validate()
    {
        DimensionCheck.RequireUsed(_instances);
        foreach (var instance in _instances)
        {
            for (int t = 0; t < instance.Table.Count; t++)
            {
                var users = instance.Modules[t];
                if (users.Count == 0)
                {
                    throw new ArgumentException($"Tensor '{instance.FullNames[t]}' is used by no module, so it would never get a gradient.");
                }

                if (users.Count > 1 && !instance.Table[t].MultiUse)
                {
                    throw new ArgumentException(
                        $"Tensor '{instance.FullNames[t]}' is used by modules {string.Join(", ", users.Select(m => $"'{m.Name}'"))} " +
                        "but is not declared multi-use ([Tensor(..., MultiUse = true)]).");
                }
            }
        }
    }

    private ComputeModule AddModuleCore(string name, IEnumerable<TensorReference> tensors)
    {
        var list = tensors.ToImmutableArray();
        if (list.IsEmpty)
        {
            throw new ArgumentException($"Module '{name}' uses no tensor.", nameof(tensors));
        }

        var seen = new HashSet<TensorReference>();
        foreach (var tensor in list)
        {
            if (!_instances.Contains(tensor.Instance))
            {
                throw new ArgumentException($"Module '{name}': tensor '{tensor.FullName}' belongs to a layout instance of another model.", nameof(tensors));
            }

            if (!seen.Add(tensor))
            {
                throw new ArgumentException($"Module '{name}' lists tensor '{tensor.FullName}' twice.", nameof(tensors));
            }
        }

        var module = new ComputeModule(name, list, _modules.Count);
        foreach (var tensor in list)
        {
            tensor.Instance.Modules[tensor.Index].Add(module);
        }

        _modules.Add(module);
        return module;
    }

    private void RequireOpen()
    {
        if (IsFrozen)
        {
            throw new InvalidOperationException("The model definition is in use by an engine and can no longer change.");
        }
    }
}
