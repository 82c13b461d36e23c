namespace Elixir.Cli.Training;

/// <summary>The largest element-wise difference between two sets of named parameters.</summary>
/// <param name="Value">The largest absolute difference.</param>
/// <param name="Tensor">The tensor it occurs in.</param>
/// <param name="Count">The number of elements compared.</param>
internal readonly record struct ParameterDifference(double Value, string Tensor, long Count)
{
    /// <summary>Compares <paramref name="a"/> with <paramref name="b"/>; they must hold the same tensors and shapes.</summary>
    public static ParameterDifference Largest(IReadOnlyDictionary<string, float[]> a, IReadOnlyDictionary<string, float[]> b)
    {
        if (a.Count != b.Count)
        {
            throw new InvalidOperationException($"The runs gathered {a.Count} and {b.Count} tensors.");
        }

        double largest = 0;
        string at = "-";
        long count = 0;
        foreach (var (name, values) in a.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!b.TryGetValue(name, out var other) || other.Length != values.Length)
            {
                throw new InvalidOperationException($"Tensor '{name}' differs in presence or size between the runs.");
            }

            for (int i = 0; i < values.Length; i++)
            {
                double difference = Math.Abs((double)values[i] - other[i]);
                if (difference > largest || double.IsNaN(difference))
                {
                    largest = difference;
                    at = name;
                }
            }

            count += values.Length;
        }

        return new ParameterDifference(largest, at, count);
    }
}
