using System.Collections.Immutable;
using System.Globalization;

namespace Elixir.Checkpoints;

/// <summary>
/// How a sharded file records, in its <c>__metadata__</c>, which slice of which global tensor each stored tensor is:
/// key <c>slice:NAME</c>, value <c>d0,d1,...;start,end</c> (global shape; flat element range). The stored tensor
/// itself is one-dimensional with <c>end - start</c> elements.
/// </summary>
internal static class ShardSliceMetadata
{
    public const string FormatKey = "format";
    public const string FormatValue = "elixir-sharded-v1";
    public const string RankKey = "rank";
    public const string WorldSizeKey = "world_size";
    private const string SlicePrefix = "slice:";

    public static string Key(string tensor) => SlicePrefix + tensor;

    public static string Value(in TensorShard shard) =>
        string.Create(CultureInfo.InvariantCulture, $"{shard.ShapeText};{shard.Start},{shard.End}");

    /// <summary>Parses a value; false when it is malformed.</summary>
    public static bool TryParse(string value, out ImmutableArray<long> shape, out long start, out long end)
    {
        shape = default;
        start = end = 0;
        string[] parts = value.Split(';');
        if (parts.Length != 2)
        {
            return false;
        }

        string[] range = parts[1].Split(',');
        if (range.Length != 2 || !TryParseLong(range[0], out start) || !TryParseLong(range[1], out end) || end < start)
        {
            return false;
        }

        var dims = ImmutableArray.CreateBuilder<long>();
        if (parts[0].Length > 0)
        {
            foreach (string d in parts[0].Split(','))
            {
                if (!TryParseLong(d, out long dim))
                {
                    return false;
                }

                dims.Add(dim);
            }
        }

        shape = dims.ToImmutable();
        return true;
    }

    private static bool TryParseLong(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
