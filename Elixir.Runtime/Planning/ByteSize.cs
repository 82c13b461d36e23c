using System.Globalization;

namespace Elixir.Planning;

/// <summary>Memory sizes written for people: <c>24GiB</c>, <c>512MiB</c>, <c>1.5GB</c>, <c>4096</c>.</summary>
public static class ByteSize
{
    private static readonly (string Suffix, long Factor)[] s_units =
    [
        ("KIB", 1L << 10), ("MIB", 1L << 20), ("GIB", 1L << 30), ("TIB", 1L << 40),
        ("KB", 1_000L), ("MB", 1_000_000L), ("GB", 1_000_000_000L), ("TB", 1_000_000_000_000L),
        ("B", 1L),
    ];

    /// <summary>
    /// Parses a number with an optional unit (B; KB, MB, GB, TB in powers of 1000; KiB, MiB, GiB, TiB in powers of
    /// 1024; case-insensitive), rounding fractional bytes down.
    /// </summary>
    /// <exception cref="FormatException">The text is not a positive size.</exception>
    public static long Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        long factor = 1;
        string number = trimmed;
        foreach (var (suffix, f) in s_units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                factor = f;
                number = trimmed[..^suffix.Length].TrimEnd();
                break;
            }
        }

        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value)
            || value <= 0 || value * factor >= long.MaxValue || value * factor < 1)
        {
            throw new FormatException($"'{text}' is not a memory size such as 24GiB, 512MiB, 1.5GB or 4096 (bytes).");
        }

        return (long)decimal.Floor(value * factor);
    }

    /// <summary>Formats a byte count with a binary unit and two decimals (<c>1.50 GiB</c>).</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:F2} {units[unit]}");
    }
}
