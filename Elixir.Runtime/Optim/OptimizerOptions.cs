using Elixir.Layout;

namespace Elixir.Optim;

/// <summary>
/// An optimizer's configuration: default hyper-parameters plus ordered parameter groups. A tensor belongs to the
/// first group whose selector accepts it, otherwise to the default group (index 0). Groups are resolved once per
/// tensor when the engine is built, so steps never call selectors.
/// </summary>
/// <typeparam name="THyperParameters"><see cref="AdamHyperParameters"/> or <see cref="SgdHyperParameters"/>.</typeparam>
public abstract class OptimizerOptions<THyperParameters>
    where THyperParameters : class
{
    /// <summary>The name of group 0, which holds every tensor no selector accepts.</summary>
    public const string DefaultGroupName = "default";

    private readonly ParameterGroup<THyperParameters>[] _groups;

    /// <summary>Creates the options; throws naming the group when a name repeats.</summary>
    private protected OptimizerOptions(THyperParameters defaults, IEnumerable<ParameterGroup<THyperParameters>> groups)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(groups);
        _groups = [new ParameterGroup<THyperParameters>(DefaultGroupName, static (string _, in TensorSlot _) => true, defaults), .. groups];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (ParameterGroup<THyperParameters> group in _groups)
        {
            if (!names.Add(group.Name))
            {
                throw new ArgumentException($"Parameter group name '{group.Name}' is used twice.", nameof(groups));
            }
        }
    }

    /// <summary>All groups, the default group first.</summary>
    public IReadOnlyList<ParameterGroup<THyperParameters>> Groups => _groups;

    /// <summary>The index into <see cref="Groups"/> of the group that owns the tensor.</summary>
    public int GroupOf(string name, in TensorSlot slot)
    {
        for (int i = 1; i < _groups.Length; i++)
        {
            if (_groups[i].Selector(name, slot))
            {
                return i;
            }
        }

        return 0;
    }
}
