namespace Elixir.Numerics;

/// <summary>The element types chunks, shards and collectives work with.</summary>
public enum DType : byte
{
    /// <summary>IEEE 754 binary32 (<see cref="float"/>).</summary>
    Float32 = 0,
    /// <summary>IEEE 754 binary16 (<see cref="Half"/>).</summary>
    Float16 = 1,
    /// <summary>Brain floating point: the top 16 bits of a binary32 (<see cref="BFloat16"/>).</summary>
    BFloat16 = 2,
}

/// <summary>Sizes and names of <see cref="DType"/> values.</summary>
public static class DTypeInfo
{
    /// <summary>The size of one element in bytes.</summary>
    public static int SizeOf(this DType type) => type switch
    {
        DType.Float32 => 4,
        DType.Float16 or DType.BFloat16 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown element type."),
    };

    /// <summary>The safetensors name of the type (<c>F32</c>, <c>F16</c>, <c>BF16</c>).</summary>
    public static string SafetensorsName(this DType type) => type switch
    {
        DType.Float32 => "F32",
        DType.Float16 => "F16",
        DType.BFloat16 => "BF16",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown element type."),
    };

    /// <summary>The <see cref="DType"/> of a CLR element type, for generic code over <c>T</c>.</summary>
    public static DType Of<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? DType.Float32
        : typeof(T) == typeof(Half) ? DType.Float16
        : typeof(T) == typeof(BFloat16) ? DType.BFloat16
        : throw new NotSupportedException($"Element type {typeof(T)} is not float, Half or BFloat16.");
}
