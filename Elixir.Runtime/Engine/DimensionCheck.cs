namespace Elixir.Engine;

/// <summary>
/// Finds dimension values given to a model that no layout reads. A model usually passes one set (C, V, ...) to
/// every layout, each reading the names it needs, so a name is checked against all the model's layouts together:
/// only a name none of them uses (a misspelt <c>c</c> for <c>C</c>) is an error.
/// </summary>
internal static class DimensionCheck
{
    /// <summary>Throws naming the unused dimension, the instance it was given to and the names the layouts use.</summary>
    public static void RequireUsed(IReadOnlyList<LayoutInstance> instances)
    {
        var used = new SortedSet<string>(instances.SelectMany(i => i.UsedDimensions), StringComparer.Ordinal);
        foreach (var instance in instances)
        {
            foreach (string name in instance.Dimensions.Names)
            {
                if (!used.Contains(name))
                {
                    string known = used.Count == 0 ? "none (every shape is constant)" : string.Join(", ", used);
                    throw new ArgumentException(
                        $"Dimension '{name}' given to layout instance '{instance.Name}' ({instance.Table.LayoutName}) is used by no layout of the model; " +
                        $"the layouts use: {known}.");
                }
            }
        }
    }
}
