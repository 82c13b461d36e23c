namespace Elixir.Layout;

/// <summary>The run-time values of a layout's named dimensions (for example <c>C = 768</c>, <c>V = 50257</c>).</summary>
public sealed class LayoutDimensions
{
    private readonly string[] _names;
    private readonly long[] _values;

    /// <summary>Creates the set from name/value pairs; names are case-sensitive and must be unique.</summary>
    public LayoutDimensions(params (string Name, long Value)[] dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        _names = new string[dimensions.Length];
        _values = new long[dimensions.Length];
        for (int i = 0; i < dimensions.Length; i++)
        {
            var (name, value) = dimensions[i];
            if (Array.IndexOf(_names, name, 0, i) >= 0)
            {
                throw new ArgumentException($"Dimension '{name}' is given twice.", nameof(dimensions));
            }

            _names[i] = name;
            _values[i] = value;
        }
    }

    /// <summary>The given names, in the order given.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>A set with no named dimensions, for layouts whose shapes are all constant.</summary>
    public static LayoutDimensions None { get; } = new();

    /// <summary>The value of dimension <paramref name="name"/>; a missing name throws naming the layout.</summary>
    public long Get(string name, string layout)
    {
        int index = Array.IndexOf(_names, name);
        if (index < 0)
        {
            throw new ArgumentException(
                $"Layout '{layout}' needs dimension '{name}', which was not given (given: {string.Join(", ", _names)}).");
        }

        return _values[index];
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Join(", ", _names.Select((n, i) => $"{n}={_values[i]}"));
}
