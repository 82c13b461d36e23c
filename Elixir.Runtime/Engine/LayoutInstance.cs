using System.Collections.Immutable;
using Elixir.Layout;
using Elixir.Numerics;

namespace Elixir.Engine;

/// <summary>
/// One named instance of a generated layout in a model (a transformer block, the embeddings): its tables, the
/// bindings its typed views read, and its tensors' places in the engine's chunks.
/// </summary>
/// <remarks>
/// The parameter chunks hold every tensor in the engine's parameter type. When the layout declares a tensor in
/// that type, its view reads the gathered chunk directly; when the layout declares fp32 and the chunks are
/// fp16/bf16, a scope casts the tensor into an fp32 staging buffer for the view (compute in fp32, store and
/// communicate in 16 bits).
/// </remarks>
public abstract class LayoutInstance
{
    private protected LayoutInstance(string name, LayoutTable table, ITensorStateCounter counter, ITensorStateCounter masterCounter)
    {
        Name = name;
        Table = table;
        Counter = counter;
        MasterCounter = masterCounter;
        ParameterBinding = new LayoutBinding(table);
        GradientBinding = new LayoutBinding(table);
        FullNames = [.. Enumerable.Range(0, table.Count).Select(t => $"{name}.{table[t].Name}")];
        ExternalNames = [.. Enumerable.Range(0, table.Count).Select(t => $"{name}.{table[t].ExternalName}")];
        Modules = new List<ComputeModule>[table.Count];
        for (int t = 0; t < table.Count; t++)
        {
            Modules[t] = [];
        }
    }

    /// <summary>The instance's name; its tensors are named <c>Name.Tensor</c> in plans and sharded checkpoints.</summary>
    public string Name { get; }

    /// <summary>The offset table the layout's views are typed by.</summary>
    public LayoutTable Table { get; }

    /// <summary>The full names of the tensors, in table order.</summary>
    public ImmutableArray<string> FullNames { get; }

    /// <summary>
    /// The names of the tensors outside this program, in table order: <c>Name.ExternalName</c> (for example
    /// <c>transformer.h.0.attn.c_attn.weight</c>), which consolidated checkpoints use so other frameworks read them
    /// without a renaming map; equal to <see cref="FullNames"/> where the layout declares no external names.
    /// </summary>
    public ImmutableArray<string> ExternalNames { get; }

    /// <summary>A reference to tensor <paramref name="name"/> (the property name), for modules that use only part of a layout.</summary>
    public TensorReference Tensor(string name)
    {
        int index = Table.IndexOf(name);
        if (index < 0)
        {
            throw new ArgumentException(
                $"Layout instance '{Name}' ({Table.LayoutName}) has no tensor '{name}'; it has {string.Join(", ", Table.Slots.ToArray().Select(s => s.Name))}.",
                nameof(name));
        }

        return new TensorReference(this, index);
    }

    /// <summary>
    /// The module of the same name that <see cref="ModelDefinition.Add{TLayout}"/> created over all the instance's
    /// tensors; pass it to <see cref="TrainingEngine.Forward"/> and <see cref="TrainingEngine.Backward"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The instance was added with <c>addModule: false</c>.</exception>
    public ComputeModule Module => OwnModule ?? throw new InvalidOperationException(
        $"Layout instance '{Name}' was added with addModule: false and has no module of its own; use the module ModelDefinition.AddModule returned.");

    /// <summary>Every tensor of the instance.</summary>
    public IEnumerable<TensorReference> All => Enumerable.Range(0, Table.Count).Select(t => new TensorReference(this, t));

    internal ITensorStateCounter Counter { get; }

    internal ComputeModule? OwnModule { get; set; }

    /// <summary>The dimension values the instance was added with (possibly shared with other instances).</summary>
    internal LayoutDimensions Dimensions { get; private protected init; } = LayoutDimensions.None;

    /// <summary>The dimension names the layout's shapes use.</summary>
    internal IReadOnlyList<string> UsedDimensions { get; private protected init; } = [];

    internal ITensorStateCounter MasterCounter { get; }

    internal LayoutBinding ParameterBinding { get; private set; }

    internal LayoutBinding GradientBinding { get; private set; }

    /// <summary>The binding the parameter chunks write addresses into: the view's own, or the 16-bit storage one.</summary>
    internal LayoutBinding StorageBinding { get; private set; } = null!;

    internal LayoutBinding MasterBinding { get; private set; } = null!;

    internal bool[] Staged { get; private set; } = [];

    internal List<ComputeModule>[] Modules { get; }

    internal Action<LayoutBinding>? Initializer { get; set; }

    /// <summary>Creates the storage and master bindings for chunks of <paramref name="parameterType"/>.</summary>
    internal void PrepareStorage(DType parameterType, BindingLocation location)
    {
        ParameterBinding = new LayoutBinding(Table, location)
        {
            Description = $"the parameters of '{Name}', readable inside a forward or backward scope of a module that uses them",
        };
        GradientBinding = new LayoutBinding(Table, location)
        {
            Description = $"the gradients of '{Name}', writable only inside a backward scope of a module that uses them",
        };
        Staged = new bool[Table.Count];
        bool anyStaged = false;
        for (int t = 0; t < Table.Count; t++)
        {
            var type = Table[t].DType;
            if (type == parameterType)
            {
                continue;
            }

            if (type != DType.Float32)
            {
                throw new ArgumentException(
                    $"Tensor '{FullNames[t]}' is declared {type} but the engine stores parameters as {parameterType}; " +
                    "a tensor must be declared in the parameter type or in fp32 (computed in fp32 from the stored values).");
            }

            Staged[t] = true;
            anyStaged = true;
        }

        StorageBinding = anyStaged ? new LayoutBinding(Retyped(Table, parameterType), location) : ParameterBinding;
        MasterBinding = new LayoutBinding(Retyped(Table, DType.Float32), location);
        RebindViews();
    }

    /// <summary>Rebuilds the typed views over the current bindings.</summary>
    private protected abstract void RebindViews();

    private static LayoutTable Retyped(LayoutTable table, DType type)
    {
        var builder = new LayoutTableBuilder(table.LayoutName, table.Count, 0);
        foreach (var slot in table.Slots)
        {
            builder.Add(slot.Name, type, slot.MultiUse, slot.Shape, slot.ExternalName);
        }

        return builder.Build();
    }
}

/// <summary>A layout instance with its generated views.</summary>
/// <typeparam name="TLayout">The generated layout type.</typeparam>
public sealed class LayoutInstance<TLayout> : LayoutInstance where TLayout : struct, IChunkLayout<TLayout>
{
    internal LayoutInstance(string name, LayoutTable table, LayoutDimensions dimensions, IReadOnlyList<string> usedDimensions)
        : base(name, table, TLayout.CreateStateCounter(), TLayout.CreateStateCounter())
    {
        Dimensions = dimensions;
        UsedDimensions = usedDimensions;
        RebindViews();
    }

    /// <summary>The parameters; readable inside a forward or backward scope that uses them.</summary>
    public TLayout Parameters { get; private set; }

    /// <summary>
    /// Where a backward scope takes the parameters' fp32 gradients. Bound only inside a backward scope; each
    /// tensor's gradient starts at zero at its first backward use in an iteration and keeps its value across the
    /// later uses of a multi-use tensor, so code may overwrite or accumulate.
    /// </summary>
    public TLayout Gradients { get; private set; }

    private protected override void RebindViews()
    {
        Parameters = TLayout.Bind(ParameterBinding);
        Gradients = TLayout.Bind(GradientBinding);
    }
}

/// <summary>One tensor of a <see cref="LayoutInstance"/>.</summary>
/// <param name="Instance">The layout instance.</param>
/// <param name="Index">The tensor's index in the instance's table.</param>
public readonly record struct TensorReference(LayoutInstance Instance, int Index)
{
    /// <summary>The tensor's full name.</summary>
    public string FullName => Instance.FullNames[Index];
}
