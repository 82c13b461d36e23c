using System.Collections.Immutable;
using Elixir.Fetching;
using Elixir.Layout;

namespace Elixir.Engine;

/// <summary>
/// The engine's table of a model definition's tensors: every tensor of every layout instance gets a number (in
/// instance order, then table order), under which the engine keeps where the tensor sits in the chunks; and one
/// <see cref="ModuleState"/> per module.
/// </summary>
internal sealed class ModelState
{
    private readonly LayoutInstance[] _instanceOf;
    private readonly int[] _indexOf;
    private readonly Dictionary<ITensorStateCounter, LayoutInstance> _instanceOfCounter = new(ReferenceEqualityComparer.Instance);

    public ModelState(ModelDefinition model)
    {
        Model = model;
        var first = new Dictionary<LayoutInstance, int>(ReferenceEqualityComparer.Instance);
        var instances = new List<LayoutInstance>();
        var indices = new List<int>();
        foreach (var instance in model.Instances)
        {
            first[instance] = instances.Count;
            _instanceOfCounter[instance.Counter] = instance;
            _instanceOfCounter[instance.MasterCounter] = instance;
            for (int t = 0; t < instance.Table.Count; t++)
            {
                instances.Add(instance);
                indices.Add(t);
            }
        }

        _instanceOf = [.. instances];
        _indexOf = [.. indices];
        Handles = new TensorHandle[_instanceOf.Length];
        Modules = [.. model.Modules.Select(m => new ModuleState(m, [.. m.Tensors.Select(t => first[t.Instance] + t.Index)]))];
    }

    /// <summary>The user's definition.</summary>
    public ModelDefinition Model { get; }

    /// <summary>The number of tensors.</summary>
    public int TensorCount => _instanceOf.Length;

    /// <summary>The engine's record of each module, by <see cref="ComputeModule.Index"/>.</summary>
    public ModuleState[] Modules { get; }

    /// <summary>Each tensor's chunk and position in the parameter chunk group, by tensor number.</summary>
    public TensorHandle[] Handles { get; }

    /// <summary>The layout instance of tensor <paramref name="tensor"/>.</summary>
    public LayoutInstance InstanceOf(int tensor) => _instanceOf[tensor];

    /// <summary>The table index, in its layout instance, of tensor <paramref name="tensor"/>.</summary>
    public int IndexOf(int tensor) => _indexOf[tensor];

    /// <summary>
    /// The full name, external name (<see cref="LayoutInstance.ExternalNames"/>) and shape of the tensor a chunk holds
    /// under <paramref name="counter"/> (parameter or master).
    /// </summary>
    public (string Name, string ExternalName, ImmutableArray<long> Shape) Describe(ITensorStateCounter counter, int index)
    {
        var instance = _instanceOfCounter[counter];
        return (instance.FullNames[index], instance.ExternalNames[index], instance.Table[index].Shape);
    }

    /// <summary>The full name and table row of the tensor a chunk holds under <paramref name="counter"/>.</summary>
    public (string Name, TensorSlot Slot) SlotOf(ITensorStateCounter counter, int index)
    {
        var instance = _instanceOfCounter[counter];
        return (instance.FullNames[index], instance.Table[index]);
    }
}
