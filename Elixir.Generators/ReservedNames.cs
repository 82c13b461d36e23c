using System.Collections.Immutable;
using System.Linq;

namespace Elixir.Generators;

/// <summary>
/// The names the generated code gives its own members. Tensors become properties of the layout, of its
/// <c>DeviceViews</c> and of its <c>StateCounter</c>, so a tensor may not take one of these names, and the
/// layout type may not take the name of one of its own generated members.
/// </summary>
internal static class ReservedNames
{
    /// <summary>Members of the layout struct itself.</summary>
    public static readonly ImmutableHashSet<string> LayoutMembers = ImmutableHashSet.Create(
        System.StringComparer.Ordinal,
        "LayoutName", "TensorCount", "DimensionNames", "CreateTable", "CreateStateCounter", "Bind", "Binding",
        "Device", "DeviceViews", "StateCounter", "Table", "_binding");

    /// <summary>Every name a tensor may not take.</summary>
    public static readonly ImmutableHashSet<string> TensorNames = LayoutMembers.Union(
    [
        // Public members of Elixir.Layout.TensorStateCounter, the generated StateCounter's base class.
        "Count", "Transition", "NameOf", "Item", "AllFree", "AllCompute", "AllHold", "AllHoldAfterBackward", "AllReadyForReduce",

        // Members of object and ValueType, which a property would hide.
        "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals",
    ]);

    /// <summary>The reserved tensor names, sorted ordinally and comma-separated, for messages.</summary>
    public static readonly string TensorNameList = List(TensorNames);

    /// <summary>The names a layout type may not take, sorted ordinally and comma-separated, for messages.</summary>
    public static readonly string LayoutMemberList = List(LayoutMembers);

    private static string List(ImmutableHashSet<string> names) => string.Join(", ", names.OrderBy(n => n, System.StringComparer.Ordinal));
}
