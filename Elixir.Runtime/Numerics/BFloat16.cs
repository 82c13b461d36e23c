using System.Runtime.CompilerServices;

namespace Elixir.Numerics;

/// <summary>
/// A 16-bit brain floating-point number: sign, 8 exponent bits and 7 mantissa bits, i.e. the upper half of an
/// IEEE binary32. Conversion from <see cref="float"/> rounds to nearest, ties to even; NaN stays NaN (quiet)
/// and infinities stay infinite.
/// </summary>
public readonly struct BFloat16 : IEquatable<BFloat16>
{
    private readonly ushort _bits;

    private BFloat16(ushort bits) => _bits = bits;

    /// <summary>The raw 16-bit pattern.</summary>
    public ushort RawBits => _bits;

    /// <summary>Creates a value from its raw 16-bit pattern.</summary>
    public static BFloat16 FromBits(ushort bits) => new(bits);

    /// <summary>Positive infinity.</summary>
    public static BFloat16 PositiveInfinity => new(0x7F80);

    /// <summary>Negative infinity.</summary>
    public static BFloat16 NegativeInfinity => new(0xFF80);

    /// <summary>A quiet NaN.</summary>
    public static BFloat16 NaN => new(0x7FC0);

    /// <summary>True for NaN.</summary>
    public static bool IsNaN(BFloat16 value) => (value._bits & 0x7FFF) > 0x7F80;

    /// <summary>True for NaN and both infinities.</summary>
    public static bool IsNonFinite(BFloat16 value) => (value._bits & 0x7F80) == 0x7F80;

    /// <summary>Rounds a <see cref="float"/> to the nearest <see cref="BFloat16"/>, ties to even.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BFloat16 FromSingle(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if ((bits & 0x7FFF_FFFFu) > 0x7F80_0000u)
        {
            // NaN: keep the sign and the top payload bits, force the quiet bit so truncation cannot make it infinite.
            return new BFloat16((ushort)((bits >> 16) | 0x0040));
        }

        uint roundingBias = 0x7FFFu + ((bits >> 16) & 1u);
        return new BFloat16((ushort)((bits + roundingBias) >> 16));
    }

    /// <summary>Widens to <see cref="float"/> exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float ToSingle() => BitConverter.UInt32BitsToSingle((uint)_bits << 16);

    /// <summary>Rounds a <see cref="float"/> to the nearest <see cref="BFloat16"/>.</summary>
    public static explicit operator BFloat16(float value) => FromSingle(value);

    /// <summary>Widens to <see cref="float"/> exactly.</summary>
    public static implicit operator float(BFloat16 value) => value.ToSingle();

    /// <inheritdoc/>
    public bool Equals(BFloat16 other) => _bits == other._bits;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is BFloat16 other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _bits;

    /// <inheritdoc/>
    public override string ToString() => ToSingle().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
